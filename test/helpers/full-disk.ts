// Preloaded into a CLI child process (node --import tsx --import ./test/helpers/full-disk.ts) where the
// test cannot mount a small tmpfs: every write through fs.writeFileSync to an open file counts against
// OURO_DISK_BYTES, and once they would exceed it the write fails as a full disk does (ENOSPC), having
// written nothing. Freeing space is not modelled: once full, the disk stays full.
import fs from 'node:fs';

const capacity = Number(process.env.OURO_DISK_BYTES);
let used = 0;
const original = fs.writeFileSync;
fs.writeFileSync = ((
  file: fs.PathOrFileDescriptor,
  data: string | NodeJS.ArrayBufferView,
  options?: fs.WriteFileOptions,
) => {
  if (typeof file === 'number') {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (used + bytes > capacity)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
      });
    used += bytes;
  }
  return original(file, data, options);
}) as typeof fs.writeFileSync;
