/*
 * Helpers for the qemu-sst devices, built only on the shared register maps (include/qemu-sst) and
 * the platform addresses (sst_platform.h): probing for any kind, and the echo and compute devices.
 * `dev` is the device's index in the configuration: its window is SST_DEVICE_BASE(dev).
 * 64-bit registers go through mmio_read64/mmio_write64: one access on RV64, two on RV32.
 */
#ifndef RT_SST_DEV_H
#define RT_SST_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "mmio.h"
#include "qemu-sst/compute_device.h"
#include "qemu-sst/echo_device.h"
#include "qemu-sst/sst_platform.h"

static inline uintptr_t sst_reg(unsigned dev, unsigned offset) { return SST_DEVICE_BASE(dev) + offset; }

/* configs/qemu_sst_common.py links each device's interrupt to the bridge with 1 ns: an interrupt a
 * device raises at cycle C (1 GHz) reaches the guest's side at C + SST_IRQ_LINK_NS. */
#define SST_IRQ_LINK_NS 1u

/* --- probing ------------------------------------------------------------------------------- */
/* Every device kind's descriptor, generated from the register headers (qemu-sst/device_kind.h). */
#include "sst_device_kinds.h"

extern const struct sst_device_kind sst_kind_none;    /* no window: the probe's load faulted */
extern const struct sst_device_kind sst_kind_unknown; /* a window whose ID no descriptor has */

/* The kind of device `dev`, by its ID register (one 4-byte load at offset 0; every ID fits in 32
 * bits).  An absent window is unmapped memory on virt, so the load faults: &sst_kind_none. */
const struct sst_device_kind *sst_probe(unsigned dev);

/* Probes devices 0, 1, ... until the first absent one (at most max); fills kinds[], returns the
 * count.  Configurations place their devices contiguously from index 0. */
unsigned sst_probe_all(const struct sst_device_kind **kinds, unsigned max);

/* Whether `kind` is the kind whose ID register reads `id` (e.g. SST_ECHO_ID). */
static inline bool sst_is(const struct sst_device_kind *kind, uint64_t id) {
    return kind->id == id && kind != &sst_kind_none && kind != &sst_kind_unknown;
}

/* Index of the first device whose ID register reads `id`, or -1 if no device has it. */
int sst_find(uint64_t id);

/* --- echo device --------------------------------------------------------------------------- */
static inline uint64_t echo_read(unsigned dev, unsigned offset) { return mmio_read64(sst_reg(dev, offset)); }
static inline void echo_write(unsigned dev, unsigned offset, uint64_t value) {
    mmio_write64(sst_reg(dev, offset), value);
}
static inline uint64_t echo_id(unsigned dev) { return echo_read(dev, SST_ECHO_REG_ID); }
static inline uint64_t echo_get_data(unsigned dev) { return echo_read(dev, SST_ECHO_REG_DATA); }
static inline void echo_set_data(unsigned dev, uint64_t value) { echo_write(dev, SST_ECHO_REG_DATA, value); }
/* COUNT and LATENCY are small: one 4-byte read each on every target, so callers can count the
 * accesses they make. */
static inline uint32_t echo_count(unsigned dev) { return mmio_read32(sst_reg(dev, SST_ECHO_REG_COUNT)); }
static inline uint32_t echo_latency(unsigned dev) { return mmio_read32(sst_reg(dev, SST_ECHO_REG_LATENCY)); }
static inline uint32_t echo_status(unsigned dev) { return mmio_read32(sst_reg(dev, SST_ECHO_REG_STATUS)); }
static inline uintptr_t echo_scratch(unsigned dev, unsigned index) {
    return sst_reg(dev, SST_ECHO_REG_SCRATCH + index);
}

/* --- compute device ------------------------------------------------------------------------ */
static inline uint64_t compute_read(unsigned dev, unsigned offset) { return mmio_read64(sst_reg(dev, offset)); }
static inline void compute_write(unsigned dev, unsigned offset, uint64_t value) {
    mmio_write64(sst_reg(dev, offset), value);
}
/* STATUS and CONTROL bits all sit in the low word: one 4-byte access on every target. */
static inline uint32_t compute_status(unsigned dev) { return mmio_read32(sst_reg(dev, SST_COMPUTE_REG_STATUS)); }
static inline void compute_control(unsigned dev, uint32_t bits) {
    mmio_write32(sst_reg(dev, SST_COMPUTE_REG_CONTROL), bits);
}

/* Writes the operands and opcode, then CONTROL_START. */
void compute_start(unsigned dev, uint64_t opcode, uint64_t a, uint64_t b);

/* Polls STATUS until BUSY clears, at most max_polls reads.  Returns the last STATUS, or with
 * *timed_out set if it was still BUSY. */
uint32_t compute_wait(unsigned dev, unsigned long max_polls, bool *timed_out);

struct compute_outcome {
    uint64_t result;
    uint64_t cycles; /* CYCLES register */
    uint64_t error;  /* ERROR_CODE register */
    uint32_t status; /* STATUS once not BUSY */
    bool timed_out;
};
#define COMPUTE_MAX_POLLS 1000000ul /* generous: in fast mode a poll is a wall-clock round trip */

/* One whole operation by polling: start, wait, read RESULT, CYCLES and ERROR_CODE. */
struct compute_outcome compute_run(unsigned dev, uint64_t opcode, uint64_t a, uint64_t b);

#endif /* RT_SST_DEV_H */
