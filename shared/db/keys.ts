import { InvalidCursorError } from '../errors';

/**
 * Every key of the single table is built here and nowhere else. The access patterns they serve
 * are listed, with their templates, in ACCESS_PATTERNS.md beside this file.
 */
export const keys = {
  /** A user: profile, roles and scope bindings. */
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** Uniqueness of a WeChat openid: one user per openid, claimed in the same transaction. */
  openid: (openid: string) => ({ pk: `OPENID#${openid}`, sk: 'USER' }),

  /**
   * A sign-in session (a refresh-token family): its current generation and the hash of its
   * current refresh token. Expires by TTL.
   */
  session: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'META' }),
  /** A console export (CSV built by the exports consumer), its owner's to read; expires by TTL. */
  consoleExport: (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'META' }),
  /**
   * A roster import job (the file in the private bucket, checked and written by the imports
   * consumer), its owner's to read; each chunk it has written leaves a marker in the same
   * partition, written in the chunk's own transaction, so one Query reads the progress and a
   * resumed job counts every chunk exactly once. Expires by TTL.
   */
  rosterImport: (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'META' }),
  rosterImportChunk: (importId: string, firstHouseholdId: string) => ({ pk: `IMPORT#${importId}`, sk: `CHUNK#${firstHouseholdId}` }),
  rosterImportPartition: (importId: string) => `IMPORT#${importId}`,
  rosterImportChunkPrefix: 'CHUNK#',
  /** The imports a person started, newest first (the console lists them). */
  rosterImportByOwner: (userId: string, createdAt: string, importId: string) => ({ ownerPk: `IMPORTS#${userId}`, ownerSk: `${createdAt}#${importId}` }),
  rosterImportByOwnerPartition: (userId: string) => `IMPORTS#${userId}`,
  /**
   * 法律咨询: a duty lawyer's consultation slot, its bookings in its partition (one Query reads the
   * slot with who booked it); the slots by start time in one feed partition (a few a day).
   */
  legalSlot: (slotId: string) => ({ pk: `LEGALSLOT#${slotId}`, sk: 'META' }),
  legalSlotPartition: (slotId: string) => `LEGALSLOT#${slotId}`,
  legalSlotFeed: (startAt: string, slotId: string) => ({ feedPk: 'LEGALSLOTS', feedSk: `${startAt}#${slotId}` }),
  legalSlotFeedPartition: 'LEGALSLOTS',
  legalBooking: (slotId: string, userId: string) => ({ pk: `LEGALSLOT#${slotId}`, sk: `BOOKING#${userId}` }),
  legalBookingPrefix: 'BOOKING#',
  /** A resident's consultations, by the slot's start. */
  legalBookingByResident: (userId: string, startAt: string, slotId: string) => ({ ownerPk: `CONSULTS#${userId}`, ownerSk: `${startAt}#${slotId}` }),
  legalBookingByResidentPartition: (userId: string) => `CONSULTS#${userId}`,
  /**
   * 法律援助申请: an application, in the applicant's list (byOwner) and in the centre's list of its
   * status (byScope: to decide by the deadline, earliest first; decided ones by the decision).
   */
  legalAid: (applicationId: string) => ({ pk: `LEGALAID#${applicationId}`, sk: 'META' }),
  legalAidByApplicant: (userId: string, createdAt: string, applicationId: string) => ({ ownerPk: `LEGALAIDS#${userId}`, ownerSk: `${createdAt}#${applicationId}` }),
  legalAidByApplicantPartition: (userId: string) => `LEGALAIDS#${userId}`,
  legalAidByStatus: (status: string, sortKey: string, applicationId: string) => ({ scopePk: `LEGALAIDS#${status}`, scopeSk: `${sortKey}#${applicationId}` }),
  legalAidByStatusPartition: (status: string) => `LEGALAIDS#${status}`,
  /**
   * A roster person tagged 低保 or 特困, found by the keyed hash of their ID number (written by the
   * roster import): a legal-aid applicant's economic hardship needs no proof (免予核查). The
   * household is read again to confirm, so a marker left by an older roster grants nothing.
   */
  hardshipPerson: (idHash: string) => ({ pk: `HARDSHIP#${idHash}`, sk: 'META' }),
  /**
   * 人民调解: a case; each party who uses the app has a pointer in the case's partition that puts
   * the case in their own list (byOwner), rewritten with the case so the list reads no case; the
   * centre's list of a status (byScope: accepted ones by their 30-day deadline).
   */
  mediation: (caseId: string) => ({ pk: `MEDIATION#${caseId}`, sk: 'META' }),
  mediationParty: (caseId: string, userId: string) => ({ pk: `MEDIATION#${caseId}`, sk: `PARTY#${userId}` }),
  mediationByParty: (userId: string, createdAt: string, caseId: string) => ({ ownerPk: `MEDIATIONS#${userId}`, ownerSk: `${createdAt}#${caseId}` }),
  mediationByPartyPartition: (userId: string) => `MEDIATIONS#${userId}`,
  mediationByStatus: (status: string, sortKey: string, caseId: string) => ({ scopePk: `MEDIATIONS#${status}`, scopeSk: `${sortKey}#${caseId}` }),
  mediationByStatusPartition: (status: string) => `MEDIATIONS#${status}`,
  /** A console sign-in by scanning (扫码登录): pending, approved by a staff member, then used once. Expires by TTL. */
  consoleLogin: (loginId: string) => ({ pk: `CONSOLE_LOGIN#${loginId}`, sk: 'META' }),
  /** Access tokens of a user issued before `revokedAt` are refused (role change): one partition, read whole and cached. */
  accessRevocation: (userId: string) => ({ pk: 'REVOKED#ACCESS', sk: `USER#${userId}` }),
  accessRevocationPartition: 'REVOKED#ACCESS',

  /**
   * A resident's application to join a volunteer team (one per person and team); the team's
   * applications by status, oldest first, for its lead.
   */
  teamApplication: (teamId: string, userId: string) => ({ pk: `TEAMAPP#${teamId}#${userId}`, sk: 'META' }),
  teamApplicationByStatus: (teamId: string, status: string, createdAt: string, userId: string) => ({ scopePk: `TEAMAPPS#${teamId}#${status}`, scopeSk: `${createdAt}#${userId}` }),
  teamApplicationPartition: (teamId: string, status: string) => `TEAMAPPS#${teamId}#${status}`,

  /** The organisation tree: sub-district -> communities -> grids. */
  street: (streetId: string) => ({ pk: `STREET#${streetId}`, sk: 'META' }),
  community: (communityId: string) => ({ pk: `COMMUNITY#${communityId}`, sk: 'META' }),
  communityInStreet: (streetId: string, communityId: string) => ({ scopePk: `STREET#${streetId}#COMMUNITIES`, scopeSk: communityId }),
  communitiesOfStreetPartition: (streetId: string) => `STREET#${streetId}#COMMUNITIES`,
  grid: (gridId: string) => ({ pk: `GRID#${gridId}`, sk: 'META' }),
  gridInCommunity: (communityId: string, gridId: string) => ({ scopePk: `COMMUNITY#${communityId}#GRIDS`, scopeSk: gridId }),
  gridsOfCommunityPartition: (communityId: string) => `COMMUNITY#${communityId}#GRIDS`,

  /** Users by the keyed hash of their phone number (sparse). */
  userByPhone: (phoneHash: string, userId: string) => ({ lookupPk: `PHONE#${phoneHash}`, lookupSk: `USER#${userId}` }),

  /** Audit records: by target (what happened to this record) and by actor (what this person did). */
  audit: (auditId: string) => ({ pk: `AUDIT#${auditId}`, sk: 'AUDIT' }),
  auditByTarget: (targetType: string, targetId: string, at: string, auditId: string) => ({
    lookupPk: `AUDIT#${targetType}#${targetId}`,
    lookupSk: `${at}#${auditId}`,
  }),
  auditByTargetPartition: (targetType: string, targetId: string) => `AUDIT#${targetType}#${targetId}`,
  auditByActor: (actorId: string, at: string, auditId: string) => ({ ownerPk: `ACTOR#${actorId}`, ownerSk: `AUDIT#${at}#${auditId}` }),

  /** A service request and its append-only timeline share one partition: one Query reads both. */
  request: (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: 'META' }),
  requestPartition: (requestId: string) => `REQUEST#${requestId}`,
  requestEvent: (requestId: string, seq: number) => ({ pk: `REQUEST#${requestId}`, sk: `EVENT#${String(seq).padStart(6, '0')}` }),
  /** A resident's own requests, newest first. */
  requestByRequester: (userId: string, createdAt: string, requestId: string) => ({ ownerPk: `REQUESTER#${userId}`, ownerSk: `${createdAt}#${requestId}` }),
  requestByRequesterPartition: (userId: string) => `REQUESTER#${userId}`,
  /**
   * 代办: a household member who follows a request submitted for another member. The pointer lives
   * in the request's partition and appears in the follower's own list (byOwner) beside their own.
   */
  requestFollower: (requestId: string, userId: string, createdAt: string) => ({
    pk: `REQUEST#${requestId}`,
    sk: `FOLLOWER#${userId}`,
    ...keys.requestByRequester(userId, createdAt, requestId),
  }),
  /** The handling queue of a level: a grid's, a community's, the sub-district's or its legal centre's. */
  inboxQueue: (level: 'grid' | 'community' | 'street' | 'legal', id: string) => `${level.toUpperCase()}#${id}`,
  /** A handling queue (grid, community, sub-district, legal centre) by status, oldest due first. */
  requestInbox: (queue: string, status: string, dueAt: string, requestId: string) => ({ scopePk: `INBOX#${queue}#${status}`, scopeSk: `${dueAt}#${requestId}` }),
  requestInboxPartition: (queue: string, status: string) => `INBOX#${queue}#${status}`,
  /** Every request by its month of submission (Beijing), newest last: Open311's public list. */
  requestByMonth: (month: string, createdAt: string, requestId: string) => ({ lookupPk: `REQUESTS#${month}`, lookupSk: `${createdAt}#${requestId}` }),
  requestByMonthPartition: (month: string) => `REQUESTS#${month}`,
  /** Open311: the token a partner is answered with, until routing gives the request its place (written with the request). */
  open311Token: (token: string) => ({ pk: `O311TOKEN#${token}`, sk: 'META' }),
  /** Open311 API keys, found by the SHA-256 of the key (never stored); listed for the admin by key id. */
  open311Key: (keyHash: string) => ({ pk: `O311KEY#${keyHash}`, sk: 'META' }),
  open311KeyInList: (keyId: string) => ({ scopePk: 'O311KEYS', scopeSk: keyId }),
  open311KeyListPartition: 'O311KEYS',
  /** A key's calls in one minute (its rate limit); expires by TTL. */
  open311Rate: (keyId: string, minute: string) => ({ pk: `O311RATE#${keyId}`, sk: minute }),
  /** Open requests by their next SLA deadline (sparse: removed once nothing is due). */
  requestSla: (dueAt: string, requestId: string) => ({ feedPk: 'SLA#OPEN', feedSk: `${dueAt}#${requestId}` }),
  requestSlaPartition: 'SLA#OPEN',
  /** A request not yet routed, by submission time (sparse: routing moves it to the SLA partition). */
  requestUnrouted: (createdAt: string, requestId: string) => ({ feedPk: 'ROUTING#PENDING', feedSk: `${createdAt}#${requestId}` }),
  requestUnroutedPartition: 'ROUTING#PENDING',
  /** A phone's resend of a write, recognised by its Idempotency-Key. */
  idempotency: (userId: string, key: string) => ({ pk: `IDEM#${userId}#${key}`, sk: 'IDEM' }),
  /** Counters for /v1/stats, per month and dimension. */
  stats: (domain: string, month: string, dimension: string, value: string) => ({ pk: `STATS#${domain}#${month}`, sk: `${dimension}#${value}` }),
  statsPartition: (domain: string, month: string) => `STATS#${domain}#${month}`,

  /** Employers: workshops, public-welfare post providers, transfer-employment partners. */
  employer: (employerId: string) => ({ pk: `EMPLOYER#${employerId}`, sk: 'META' }),
  /** A job posting; its listing copies live in the same partition (sk LIST#<feed>). */
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'META' }),
  jobListing: (jobId: string, feed: string) => ({ pk: `JOB#${jobId}`, sk: `LIST#${feed}` }),
  /** Open jobs newest first, one feed per filter combination (sparse: only open jobs). */
  jobFeed: (feed: string, datePosted: string, jobId: string) => ({ feedPk: `JOBS#OPEN#${feed}`, feedSk: `${datePosted}#${jobId}` }),
  jobFeedPartition: (feed: string) => `JOBS#OPEN#${feed}`,
  /**
   * The feeds an open job is listed in, one per filter combination the list route serves with a
   * single Query: all, by employer kind, by employer, by employment type, and kind x type.
   */
  jobFeedsOf: (j: { employerKind: string; employerId: string; employmentType: string }) => ['ALL', `KIND#${j.employerKind}`, `EMP#${j.employerId}`, `TYPE#${j.employmentType}`, `KIND#${j.employerKind}#TYPE#${j.employmentType}`],
  /** The one feed that serves a filter (an employer's feed is then filtered by type, if asked). */
  jobFeedFor: (f: { employerId?: string; employerKind?: string; employmentType?: string }) =>
    f.employerId ? `EMP#${f.employerId}` : f.employerKind && f.employmentType ? `KIND#${f.employerKind}#TYPE#${f.employmentType}` : f.employerKind ? `KIND#${f.employerKind}` : f.employmentType ? `TYPE#${f.employmentType}` : 'ALL',
  /** An employer's own jobs in every status (drafts, open, closed…), newest first. */
  jobByEmployer: (employerId: string, datePosted: string, jobId: string) => ({ scopePk: `EMPLOYERJOBS#${employerId}`, scopeSk: `${datePosted}#${jobId}` }),
  jobByEmployerPartition: (employerId: string) => `EMPLOYERJOBS#${employerId}`,
  /** Open jobs by valid-through, for the expiry schedule (sparse). */
  jobExpiry: (validThrough: string, jobId: string) => ({ lookupPk: 'JOBS#EXPIRY', lookupSk: `${validThrough}#${jobId}` }),
  jobExpiryPartition: 'JOBS#EXPIRY',
  /** One application per person per job: the id is derived from both, so a second one cannot exist. */
  application: (applicationId: string) => ({ pk: `APPLICATION#${applicationId}`, sk: 'META' }),
  applicationByApplicant: (userId: string, appliedAt: string, jobId: string) => ({ ownerPk: `APPLICANT#${userId}`, ownerSk: `${appliedAt}#${jobId}` }),
  applicationByApplicantPartition: (userId: string) => `APPLICANT#${userId}`,
  /** A job's applications; the employer is part of the key, so an employer's read needs no ownership lookup. */
  applicationByJob: (employerId: string, jobId: string, appliedAt: string, userId: string) => ({ scopePk: `JOBAPPS#${employerId}#${jobId}`, scopeSk: `${appliedAt}#${userId}` }),
  applicationByJobPartition: (employerId: string, jobId: string) => `JOBAPPS#${employerId}#${jobId}`,

  /** Volunteer teams and volunteer profiles (skills, availability, hours). */
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: 'META' }),
  volunteer: (userId: string) => ({ pk: `VOLUNTEER#${userId}`, sk: 'PROFILE' }),
  /**
   * An activity; its seat holders and waitlist live on the item itself (maps keyed by user), so
   * a sign-up is one conditional update of one item. Its sign-up records share its partition.
   */
  activity: (activityId: string) => ({ pk: `ACTIVITY#${activityId}`, sk: 'META' }),
  activityPartition: (activityId: string) => `ACTIVITY#${activityId}`,
  activityFeed: (startAt: string, activityId: string) => ({ feedPk: 'ACTS#ALL', feedSk: `${startAt}#${activityId}` }),
  activityFeedPartition: 'ACTS#ALL',
  activityByTeam: (teamId: string, startAt: string, activityId: string) => ({ scopePk: `ACTS#TEAM#${teamId}`, scopeSk: `${startAt}#${activityId}` }),
  activityByTeamPartition: (teamId: string) => `ACTS#TEAM#${teamId}`,
  activityByType: (type: string, startAt: string, activityId: string) => ({ lookupPk: `ACTS#TYPE#${type}`, lookupSk: `${startAt}#${activityId}` }),
  activityByTypePartition: (type: string) => `ACTS#TYPE#${type}`,
  signup: (activityId: string, userId: string) => ({ pk: `ACTIVITY#${activityId}`, sk: `SIGNUP#${userId}` }),
  signupSortPrefix: 'SIGNUP#',
  signupByVolunteer: (userId: string, startAt: string, activityId: string) => ({ ownerPk: `VOLUNTEER#${userId}`, ownerSk: `${startAt}#${activityId}` }),
  signupByVolunteerPartition: (userId: string) => `VOLUNTEER#${userId}`,
  /** Seats offered to promoted waitlisters, by confirm-by time (sparse). */
  seatOffer: (confirmBy: string, activityId: string, userId: string) => ({ lookupPk: 'SEAT_OFFERS', lookupSk: `${confirmBy}#${activityId}#${userId}` }),
  seatOfferPartition: 'SEAT_OFFERS',

  /** A household with its members; its colour history shares its partition. */
  household: (householdId: string) => ({ pk: `HOUSEHOLD#${householdId}`, sk: 'META' }),
  householdColourChange: (householdId: string, at: string, seq: number) => ({ pk: `HOUSEHOLD#${householdId}`, sk: `COLOUR#${at}#${seq}` }),
  householdColourChangePrefix: 'COLOUR#',
  /** A grid's households: all (byFeed) and by colour (byScope), in household-number order. */
  householdInGrid: (gridId: string, householdId: string) => ({ feedPk: `GRIDHH#${gridId}`, feedSk: householdId }),
  householdInGridPartition: (gridId: string) => `GRIDHH#${gridId}`,
  householdByColour: (gridId: string, colour: string, householdId: string) => ({ scopePk: `GRIDHH#${gridId}#${colour}`, scopeSk: householdId }),
  householdByColourPartition: (gridId: string, colour: string) => `GRIDHH#${gridId}#${colour}`,
  /**
   * A grid's weekly (yellow) or monthly (green) visit plan made for a period: the daily run plans
   * those colours only where this is absent (the roster import clears it for the grids it changes).
   */
  visitPlanMade: (gridId: string, colour: string, period: string) => ({ pk: `VISITPLAN#${gridId}`, sk: `${colour}#${period}` }),
  /** A visit task; open ones are listed per worker by due date (sparse: done ones leave the index). */
  visit: (visitId: string) => ({ pk: `VISIT#${visitId}`, sk: 'META' }),
  openVisitOf: (workerId: string, dueDate: string, visitId: string) => ({ ownerPk: `VISITS#${workerId}#OPEN`, ownerSk: `${dueDate}#${visitId}` }),
  openVisitPartition: (workerId: string) => `VISITS#${workerId}#OPEN`,

  /** Marks demo data as seeded, so `npm start` seeds once. */
  seedMarker: (name: string) => ({ pk: 'SEED', sk: name }),

  /** Queue messages waiting to be (re)sent: one partition, sorted by ULID (time order). */
  outbox: (messageId: string) => ({ pk: 'OUTBOX', sk: messageId }),
  outboxPartition: 'OUTBOX',
  /**
   * Counter deltas: what a state change adds to the figures, written in its own transaction and
   * folded into the counters exactly once (shared/stats/counters.ts). Time-ordered, like the outbox.
   */
  counterDelta: (deltaId: string) => ({ pk: 'STATSDELTA', sk: deltaId }),
  counterDeltaPartition: 'STATSDELTA',

  /** Notifications delivered through the local adapter, readable per user (tests, demo). */
  localNotification: (userId: string, notificationId: string) => ({ pk: `NOTIFY#${userId}`, sk: notificationId }),
  localNotificationPartition: (userId: string) => `NOTIFY#${userId}`,
  notificationSent: (notificationId: string) => ({ pk: `NOTIFICATION#${notificationId}`, sk: 'SENT' }),
  /**
   * A user's notices in the app (我的消息), newest last in key order; the partition's `UNREAD`
   * item (sorting after every `N#…`) holds the unread count and when they last read them.
   */
  userNotice: (userId: string, at: string, notificationId: string) => ({ pk: `NOTICES#${userId}`, sk: `N#${at}#${notificationId}` }),
  userNoticeCounter: (userId: string) => ({ pk: `NOTICES#${userId}`, sk: 'UNREAD' }),
  userNoticePartition: (userId: string) => `NOTICES#${userId}`,
} as const;

/**
 * Position of a paginated Query: its LastEvaluatedKey. Callers never see this form: the handler
 * pipeline seals it for the route, the caller and the query (shared/http/cursor.ts).
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}
