// Sub-word access to 64-bit device registers, the same way for every device: an access of `size`
// bytes at `offset` touches bytes [offset % 8, offset % 8 + size) of the register at offset & ~7,
// little-endian.  Accesses must be naturally aligned.
#ifndef QEMU_SST_ELEMENTS_REGISTER_BYTES_H
#define QEMU_SST_ELEMENTS_REGISTER_BYTES_H

#include <cstdint>

namespace QemuSst {

constexpr uint64_t registerBase(uint64_t offset) { return offset & ~uint64_t{7}; }

constexpr bool accessAligned(uint64_t offset, unsigned size) {
    return (size == 1 || size == 2 || size == 4 || size == 8) && offset % size == 0;
}

constexpr uint64_t sizeMask(unsigned size) { return size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1; }

// The bytes an access of `size` at `offset` reads from `reg`, zero-extended.
constexpr uint64_t readRegisterBytes(uint64_t reg, uint64_t offset, unsigned size) {
    return (reg >> (8 * (offset & 7))) & sizeMask(size);
}

// `reg` after an access of `size` at `offset` stored `value` into it.
constexpr uint64_t writeRegisterBytes(uint64_t reg, uint64_t offset, unsigned size, uint64_t value) {
    const unsigned shift = 8 * (offset & 7);
    const uint64_t mask = sizeMask(size) << shift;
    return (reg & ~mask) | ((value << shift) & mask);
}

}  // namespace QemuSst

#endif
