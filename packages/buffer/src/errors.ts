import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes raised by `@iiot/buffer`. */
export type BufferErrorCode =
  | 'BUFFER_DIR_ACCESS_DENIED'
  | 'BUFFER_DIR_INVALID'
  | 'BUFFER_LOCKED'
  | 'BUFFER_DISK_FULL'
  | 'BUFFER_IO_FAILED'
  | 'BUFFER_CLOSED'
  | 'BUFFER_RECORD_TOO_LARGE'
  | 'BUFFER_PAYLOAD_UNSUPPORTED'
  | 'BUFFER_OPTIONS_INVALID';

/** An error raised by a buffer store; `retryable` says whether the same call may succeed later. */
export class BufferError extends IiotError<BufferErrorCode> {}

/** Translates a Node.js file-system error into a `BufferError` that says what, where and what to do. */
export function fileSystemError(cause: unknown, action: string, path: string): BufferError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const options: IiotErrorOptions = { cause, details: { path, errno: code } };
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new BufferError(
        'BUFFER_DISK_FULL',
        `No space left on the device while trying to ${action} ${path}: free disk space or lower the buffer's maxBytes.`,
        { ...options, retryable: true },
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new BufferError(
        'BUFFER_DIR_ACCESS_DENIED',
        `Permission denied while trying to ${action} ${path}: create the directory with write access for this process (uid ${process.getuid?.() ?? '?'}) or choose another dir.`,
        options,
      );
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EEXIST':
      return new BufferError(
        'BUFFER_DIR_INVALID',
        `Cannot ${action} ${path}: a path component is not a directory. Point dir at a directory the buffer may own.`,
        options,
      );
    default:
      return new BufferError(
        'BUFFER_IO_FAILED',
        `Failed to ${action} ${path} (${code ?? String(cause)}): check the disk and the directory.`,
        { ...options, retryable: true },
      );
  }
}
