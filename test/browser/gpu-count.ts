// Counts live WebGPU buffers in this global scope: created by GPUDevice.createBuffer and not yet
// destroyed (a buffer destroyed twice counts once). Import it before onnxruntime-web is loaded.

export interface GpuBufferCount {
  /** Buffers created and not destroyed. */
  buffers: number;
  /** Their total size in bytes. */
  bytes: number;
  /** Buffers ever created (so a test can see that the counter sees onnxruntime's buffers). */
  created: number;
}

const live = new WeakMap<GPUBuffer, number>();
const count: GpuBufferCount = { buffers: 0, bytes: 0, created: 0 };

const scope = globalThis as { GPUDevice?: typeof GPUDevice; GPUBuffer?: typeof GPUBuffer };
if (scope.GPUDevice && scope.GPUBuffer) {
  const create = scope.GPUDevice.prototype.createBuffer;
  scope.GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const buffer = create.call(this, descriptor);
    live.set(buffer, buffer.size);
    count.buffers++;
    count.bytes += buffer.size;
    count.created++;
    return buffer;
  };
  const destroy = scope.GPUBuffer.prototype.destroy;
  scope.GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    const size = live.get(this);
    if (size !== undefined) {
      live.delete(this);
      count.buffers--;
      count.bytes -= size;
    }
    return destroy.call(this);
  };
}

/** Whether the counter is installed (this scope has WebGPU). */
export const counting = scope.GPUDevice !== undefined;

export const gpuBuffers = (): GpuBufferCount => ({ ...count });
