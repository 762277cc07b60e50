// The matrix multiply both accelerators run (acalsim.MatmulAccelerator on descriptors,
// acalsim.VirtIODevice on an app's buffers): int32 C = A x B with wrapping arithmetic, row-major,
// and its modelled compute time.
#ifndef QEMU_SST_ELEMENTS_MATMUL_KERNEL_H
#define QEMU_SST_ELEMENTS_MATMUL_KERNEL_H

#include <cstdint>
#include <cstring>

namespace QemuSst {

// c (m x n) = a (m x k) x b (k x n), 4-byte little-endian elements; c may not overlap a or b.
inline void matmulInt32(const uint8_t* a, const uint8_t* b, uint8_t* c, uint32_t m, uint32_t n, uint32_t k) {
    const auto at = [](const uint8_t* p, uint64_t i) {
        uint32_t v;
        std::memcpy(&v, p + 4 * i, 4);
        return v;
    };
    for (uint32_t i = 0; i < m; i++) {
        for (uint32_t j = 0; j < n; j++) {
            uint32_t sum = 0;
            for (uint32_t x = 0; x < k; x++) {
                sum += at(a, uint64_t(i) * k + x) * at(b, uint64_t(x) * n + j);
            }
            std::memcpy(c + 4 * (uint64_t(i) * n + j), &sum, 4);
        }
    }
}

// pes multiply-accumulate units each retire one product per cycle, after filling a pipeline of
// pipeline_depth stages.
inline uint64_t matmulComputeCycles(uint64_t m, uint64_t n, uint64_t k, uint64_t pes, uint64_t pipeline_depth) {
    return (m * n * k + pes - 1) / pes + pipeline_depth;
}

}  // namespace QemuSst

#endif
