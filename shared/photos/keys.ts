/**
 * An uploaded photo's key, as a request cites it: pending/<userId>/<ULID>.<ext>. Kept apart from
 * photos.ts so that the route table can check the shape without pulling in the S3 SDK.
 */
export const photoKeyPattern = /^pending\/[A-Za-z0-9_-]{1,64}\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png)$/;
