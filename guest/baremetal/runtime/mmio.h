/*
 * Device register access.  Each helper is exactly one load or store instruction of the named size
 * (inline asm, so the compiler can neither split, merge, widen nor drop it): one guest access is
 * one sst-device frame, and a test that expects a fault knows which instruction takes it.
 */
#ifndef RT_MMIO_H
#define RT_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(uintptr_t addr) {
    uint8_t v;
    __asm__ volatile("lbu %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline uint16_t mmio_read16(uintptr_t addr) {
    uint16_t v;
    __asm__ volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline uint32_t mmio_read32(uintptr_t addr) {
    uint32_t v;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline void mmio_write8(uintptr_t addr, uint8_t v) {
    __asm__ volatile("sb %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}
static inline void mmio_write16(uintptr_t addr, uint16_t v) {
    __asm__ volatile("sh %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}
static inline void mmio_write32(uintptr_t addr, uint32_t v) {
    __asm__ volatile("sw %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}

#if __riscv_xlen == 64
#define MMIO_HAVE_64 1 /* one 8-byte access exists */
static inline uint64_t mmio_read64(uintptr_t addr) {
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline void mmio_write64(uintptr_t addr, uint64_t v) {
    __asm__ volatile("sd %0, 0(%1)" : : "r"(v), "r"(addr) : "memory");
}
#else
#define MMIO_HAVE_64 0
/* RV32 has no 8-byte load/store: two 4-byte accesses, low word first.  Not atomic; the devices'
 * 64-bit registers take sub-word accesses at offset +4 for the high half. */
static inline uint64_t mmio_read64(uintptr_t addr) {
    uint32_t lo = mmio_read32(addr);
    uint32_t hi = mmio_read32(addr + 4);
    return ((uint64_t)hi << 32) | lo;
}
static inline void mmio_write64(uintptr_t addr, uint64_t v) {
    mmio_write32(addr, (uint32_t)v);
    mmio_write32(addr + 4, (uint32_t)(v >> 32));
}
#endif

/* Accesses a 64-bit device register takes with mmio_read64/mmio_write64: 1 on RV64, 2 on RV32. */
#define MMIO_ACCESSES_PER_64 (MMIO_HAVE_64 ? 1u : 2u)

#endif /* RT_MMIO_H */
