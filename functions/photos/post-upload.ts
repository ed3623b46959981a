import { httpHandler } from '../../shared/http/pipeline';
import { presignPhotoUpload } from '../../shared/photos/photos';
import { postUpload } from '../../shared/routes/photos';

export const handler = httpHandler(postUpload, async ({ principal, body }) => presignPhotoUpload(principal, body.contentType));
