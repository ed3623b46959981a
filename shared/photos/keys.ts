/**
 * A photo's object key: uploads/<userId>/<ULID>.<ext>. Kept apart from photos.ts so that the
 * route table can check the shape without pulling the S3 SDK into every bundle.
 */
export const photoKeyPattern = /^uploads\/[A-Za-z0-9_-]{1,64}\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png)$/;
