/*
 * A device kind's descriptor: one per memory-mapped device model, in its register header, as
 *
 *   #define SST_<NAME>_KIND ("name", "library", "Element", ID, WINDOW_SIZE, HAS_IRQ, HAS_DMA)
 *
 *   name         what configs and tests call the kind (configs/qemu_sst_common.py: device(...));
 *   library,     the SST component that models it, library.Element (e.g. acalsim.EchoDevice);
 *   Element
 *   ID           what the register at offset 0 reads: the bare-metal probe (sst_dev) tells kinds
 *                apart by it, so it must fit in 32 bits and differ between kinds;
 *   WINDOW_SIZE  bytes of the register window (a config's default);
 *   HAS_IRQ      1 if the component drives an interrupt line (irq_port), else 0; a literal, so
 *                that the Python config helper can read it.
 *   HAS_DMA      1 if the component reaches guest memory (dma_port: configs connect it through a
 *                memory timing model to the bridge), else 0; a literal too.
 *
 * The build collects every SST_<NAME>_KIND in the headers of include/qemu-sst into one table (scripts/
 * gen-device-kinds.sh writes sst_device_kinds.h); nothing else lists the kinds.  Plain C.
 */
#ifndef QEMU_SST_DEVICE_KIND_H
#define QEMU_SST_DEVICE_KIND_H

#include <stdint.h>

struct sst_device_kind {
    const char *name;
    const char *element; /* "library.Element" */
    uint64_t id;
    uint64_t window_size;
    int has_irq;
    int has_dma;
};

/* Expands a descriptor tuple with macro m: SST_DEVICE_KIND_APPLY(m, SST_ECHO_KIND). */
#define SST_DEVICE_KIND_APPLY(m, kind) m kind
#define SST_DEVICE_KIND_STRUCT_(name, lib, element, id, window, irq, dma) \
    { name, lib "." element, id, window, irq, dma }
#define SST_DEVICE_KIND_NAME_(name, lib, element, id, window, irq, dma) name
#define SST_DEVICE_KIND_LIBRARY_(name, lib, element, id, window, irq, dma) lib
#define SST_DEVICE_KIND_ELEMENT_(name, lib, element, id, window, irq, dma) element

/* A struct sst_device_kind initializer. */
#define SST_DEVICE_KIND_INIT(kind) SST_DEVICE_KIND_APPLY(SST_DEVICE_KIND_STRUCT_, kind)
#define SST_DEVICE_KIND_NAME(kind) SST_DEVICE_KIND_APPLY(SST_DEVICE_KIND_NAME_, kind)
#define SST_DEVICE_KIND_LIBRARY(kind) SST_DEVICE_KIND_APPLY(SST_DEVICE_KIND_LIBRARY_, kind)
#define SST_DEVICE_KIND_ELEMENT(kind) SST_DEVICE_KIND_APPLY(SST_DEVICE_KIND_ELEMENT_, kind)

#endif /* QEMU_SST_DEVICE_KIND_H */
