import { NetworkError } from './http';
import { postUpload } from './routes';
import { http } from './wx';

/** Picks photos from the album or the camera, compressed (a resident's photo need not be 10 MB). */
export function choosePhotos(max: number): Promise<string[]> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: max,
      mediaType: ['image'],
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
      success: (r) => resolve(r.tempFiles.map((f) => f.tempFilePath)),
      fail: () => resolve([]),
    });
  });
}

/**
 * One photo: a presigned POST from the API, then the file straight to storage with
 * wx.uploadFile. Resolves to the key a request cites.
 */
export async function uploadPhoto(filePath: string): Promise<string> {
  const target = await http.call(postUpload, { body: { contentType: filePath.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg' } });
  await new Promise<void>((resolve, reject) => {
    wx.uploadFile({
      url: target.url,
      filePath,
      name: 'file',
      formData: target.fields,
      success: (r) => (r.statusCode < 300 ? resolve() : reject(new Error('照片上传失败，请换一张或稍后再试'))),
      fail: () => reject(new NetworkError()),
    });
  });
  return target.key;
}
