/**
 * The Google Drive step's configs (`nagare:automation type="googleDrive"`): upload the files of
 * a file data item (multipart upload, `uploadType=multipart`).
 *
 * | name         | meaning                                                                    |
 * | ------------ | -------------------------------------------------------------------------- |
 * | `auth`       | required: an OAuth 2.0 authorization setting (scope `https://www.googleapis.com/auth/drive.file`) |
 * | `fileItem`   | required: the file data item whose files are uploaded                      |
 * | `folderId`   | the Drive folder to upload into; may carry data items; default My Drive    |
 * | `fileIdItem` | receives the uploaded files' ids, one per line                             |
 * | `urlItem`    | receives their `webViewLink`s, one per line                                |
 * | `baseUrl`    | default `https://www.googleapis.com`                                       |
 */
export const DRIVE_UPLOAD_PATH = '/upload/drive/v3/files';
