import * as z from 'zod';

import { route } from '../http/route';

export const postUpload = route({
  id: 'postUpload',
  method: 'POST',
  path: '/v1/uploads',
  handler: 'functions/photos/post-upload.ts',
  summary: 'A presigned POST for one photo (≤ 5 MB, 10 minutes): the phone uploads it straight to storage, then cites the key in a request',
  tag: 'requests',
  access: ['resident', 'volunteer'],
  body: z.object({ contentType: z.enum(['image/jpeg', 'image/png']).default('image/jpeg') }),
  response: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), key: z.string(), maxBytes: z.number(), expiresAt: z.string() }),
  status: 201,
  tableAccess: 'read',
  photos: 'upload',
});

export const photoRoutes = [postUpload];
