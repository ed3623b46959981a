import type { BodyOf } from './http';
import { uploadPhoto } from './photos';
import { postRequest, postRequestOnBehalf } from './routes';
import { http } from './wx';

/**
 * A request as the resident made it: the body, the photos picked on the phone, and the keys of
 * those already uploaded. Kept whole when the network fails, so a resend uploads only what is
 * missing and repeats the very same body (same photo keys) under the same Idempotency-Key.
 */
export interface RequestDraft {
  body: BodyOf<typeof postRequest>;
  /** 代办: the household member it is for (sent to the worker's route). */
  onBehalf?: { householdId: string; personId: string };
  photoPaths: string[];
  photoKeys: string[];
}

/** The kept payload as a draft — the same object, so what a send records stays with the kept item. */
export function asDraft(payload: unknown): RequestDraft {
  const p = payload as Partial<RequestDraft>;
  if (p.body) {
    p.photoPaths ??= [];
    p.photoKeys ??= [];
    return p as RequestDraft;
  }
  // Kept by an earlier version of the app: the body alone.
  return { body: payload as RequestDraft['body'], photoPaths: [], photoKeys: [] };
}

export async function sendRequestDraft(draft: RequestDraft, idempotencyKey: string) {
  while (draft.photoKeys.length < draft.photoPaths.length) draft.photoKeys.push(await uploadPhoto(draft.photoPaths[draft.photoKeys.length]!));
  const body = { ...draft.body, ...(draft.photoKeys.length ? { photos: draft.photoKeys } : {}) };
  if (draft.onBehalf) {
    const { gridId: _own, ...forMember } = body;
    return http.call(postRequestOnBehalf, { params: { householdId: draft.onBehalf.householdId }, body: { ...forMember, personId: draft.onBehalf.personId }, idempotencyKey });
  }
  return http.call(postRequest, { body, idempotencyKey });
}
