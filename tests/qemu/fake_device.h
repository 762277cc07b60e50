/*
 * fake_sim's devices: the models of elements/devices (the same code the SST components run), behind
 * a C interface for fake_sim.c.  Time is the model's clock: 1 GHz, one cycle per ns.
 */
#ifndef QEMU_SST_TESTS_QEMU_FAKE_DEVICE_H
#define QEMU_SST_TESTS_QEMU_FAKE_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fake_device;

/* Called when the model changes its interrupt line, with the cycle it did so. */
typedef void (*fake_device_irq_fn)(void *ctx, int level, uint64_t cycle);

/* The model of `kind` (a descriptor's name) with parameters {key, value, key, value, ..., NULL}
 * (NULL for none).  NULL with the reason in err when the kind is unknown or a parameter is refused. */
struct fake_device *fake_device_new(const char *kind, const char *const *params, fake_device_irq_fn irq, void *ctx,
                                    char *err, size_t err_len);
void fake_device_free(struct fake_device *dev);

/* Moves the device's clock to `cycle`, completing whatever is due by then (and interrupting). */
void fake_device_advance(struct fake_device *dev, uint64_t cycle);

/* 1 with *cycle the cycle of the model's earliest pending step (e.g. an operation's completion), or 0
 * when none is pending. */
int fake_device_next_due(const struct fake_device *dev, uint64_t *cycle);

/* One access at the current cycle: returns its sst_mmio_status; *data is a read's value and
 * *cycles the modelled time to the response. */
uint32_t fake_device_access(struct fake_device *dev, int write, uint64_t offset, unsigned size, uint64_t value,
                            uint64_t *data, uint64_t *cycles);

#ifdef __cplusplus
}
#endif

#endif
