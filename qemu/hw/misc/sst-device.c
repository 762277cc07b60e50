/*
 * sst-device: a window of guest-physical addresses whose loads and stores are served by a device
 * modelled in an SST simulation (qemu-sst), over the MMIO channel of include/qemu-sst/
 * mmio_protocol.h.  One instance per window:
 *
 *   -device sst-device,id=NAME,socket=PATH,base_address=ADDR[,size=BYTES][,irq=N]
 *
 * Placement.  riscv `virt` refuses user-created sysbus devices except its own short list, and would
 * put them in its platform-bus window anyway.  So this is a plain (bus-less) device that, in
 * realize, maps its region into system memory at base_address, takes an input of virt's interrupt
 * controller (RISCVVirtState.irqchip[0]) as its line, and adds a node to the machine's device tree,
 * which virt only copies into guest memory after -device options are realized.  Nothing in QEMU's
 * own files refers to it beyond the build wiring.
 *
 * Accesses.  Every guest load/store in the window (1, 2, 4 or 8 bytes, never split or merged)
 * becomes a READ/WRITE frame stamped with the guest's virtual time; the vCPU blocks until the
 * RESPONSE.  A status other than OK returns MEMTX_ERROR, which riscv turns into an access fault.
 *
 * Interrupts.  IRQ frames are queued and applied when QEMU_CLOCK_VIRTUAL reaches their time, so
 * the guest never sees an interrupt before the simulator raised it.  Frames that arrive while no
 * vCPU is waiting on the channel are picked up by a main-loop handler on the socket
 * (sst-channel.c, shared with virtio-sst-device).
 *
 * Time (SYNC/GRANT, latency) lives in sst-time.c.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/riscv/virt.h"
#include "migration/vmstate.h"
#include "sysemu/device_tree.h"
#include "sysemu/sysemu.h"
#include "sst-device.h"

#define SST_NO_ADDRESS UINT64_MAX
#define SST_PCIE_IRQS 4 /* virt wires PCIe INTA-D to PCIE_IRQ .. PCIE_IRQ + 3 */

static QTAILQ_HEAD(, SstDevice) sst_devices = QTAILQ_HEAD_INITIALIZER(sst_devices);

static const char *sst_device_name(SstDevice *s) { return DEVICE(s)->id ? DEVICE(s)->id : TYPE_SST_DEVICE; }

/* --- the channel ------------------------------------------------------------------------ */

/* The channel ended (sst-channel.c closes it after this). */
static void sst_device_channel_end(void *opaque, bool orderly, const char *why) {
    SstDevice *s = opaque;

    if (orderly) {
        info_report("sst-device %s: %s; accesses to [0x%" PRIx64 ", 0x%" PRIx64 ") fault from now on",
                    sst_device_name(s), why, s->base_address, s->base_address + s->size);
    } else {
        error_report("sst-device %s: lost the simulator: %s; accesses to [0x%" PRIx64 ", 0x%" PRIx64
                     ") fault from now on",
                     sst_device_name(s), why, s->base_address, s->base_address + s->size);
    }
}

static void sst_device_apply_irqs(SstDevice *s) {
    uint64_t now = sst_time_now_ps();
    SstIrqChange *c;

    while ((c = QSIMPLEQ_FIRST(&s->irq_pending)) && c->vtime_ps <= now) {
        QSIMPLEQ_REMOVE_HEAD(&s->irq_pending, next);
        s->irq_level = c->level;
        qemu_set_irq(s->irq, c->level);
        g_free(c);
    }
    if (c) {
        /* Round up: the line must not change before the simulator changed it. */
        timer_mod(s->irq_timer, DIV_ROUND_UP(c->vtime_ps, 1000));
    } else {
        timer_del(s->irq_timer);
    }
}

static void sst_device_irq_timer(void *opaque) { sst_device_apply_irqs(opaque); }

static void sst_device_queue_irq(SstDevice *s, const struct sst_mmio_irq *irq) {
    SstIrqChange *c, *after = NULL, *it;

    if (irq->line != 0) {
        qemu_log_mask(LOG_UNIMP, "sst-device %s: IRQ for line %u ignored: one line per device\n", sst_device_name(s),
                      irq->line);
        return;
    }
    c = g_new0(SstIrqChange, 1);
    c->vtime_ps = irq->vtime_ps;
    c->level = irq->level != 0;
    /* Frames come in time order; keep the queue sorted (stable) should one not. */
    QSIMPLEQ_FOREACH(it, &s->irq_pending, next) {
        if (it->vtime_ps > c->vtime_ps) {
            break;
        }
        after = it;
    }
    if (after) {
        QSIMPLEQ_INSERT_AFTER(&s->irq_pending, after, c, next);
    } else {
        QSIMPLEQ_INSERT_HEAD(&s->irq_pending, c, next);
    }
    sst_device_apply_irqs(s);
}

/* Frames for this device (GRANT and GOODBYE are the channel's). */
static void sst_device_handle_frame(void *opaque, const struct sst_mmio_header *hdr) {
    SstDevice *s = opaque;
    const struct sst_mmio_frame *f = &s->rx_frame;

    switch (hdr->type) {
    case SST_MMIO_RESPONSE:
        if (!s->awaited_id || s->have_response || f->u.response.id != s->awaited_id) {
            sst_channel_fail(&s->ch, "RESPONSE for access %" PRIu64 ", which is not outstanding", f->u.response.id);
            return;
        }
        s->response = f->u.response;
        s->have_response = true;
        return;
    case SST_MMIO_IRQ: sst_device_queue_irq(s, &f->u.irq); return;
    default: sst_channel_fail(&s->ch, "unexpected %s frame", sst_mmio_type_str(hdr->type));
    }
}

/* --- guest accesses ---------------------------------------------------------------------- */

static MemTxResult sst_device_access(SstDevice *s, uint32_t type, hwaddr offset, uint64_t *data, unsigned size) {
    const char *what = type == SST_MMIO_WRITE ? "store" : "load";
    struct sst_mmio_access a = {0};
    bool ok;

    sst_time_before_access(); /* deterministic mode: SYNC first if at the horizon */
    if (s->ch.dead) {
        qemu_log_mask(LOG_GUEST_ERROR, "sst-device %s: %u-byte %s at 0x%" HWADDR_PRIx " faults: no simulator\n",
                      sst_device_name(s), size, what, offset);
        return MEMTX_ERROR;
    }
    a.id = ++s->next_id;
    a.offset = offset;
    a.data = type == SST_MMIO_WRITE ? *data : 0;
    a.vtime_ps = sst_time_now_ps();
    a.size = size;
    s->awaited_id = a.id;
    s->have_response = false;
    ok = sst_channel_request(&s->ch, type, &a) && sst_channel_wait(&s->ch, &s->have_response);
    s->awaited_id = 0;
    if (ok) {
        sst_time_after_access(s->response.latency_ps, s->response.horizon_ps);
    }
    /* Frames the simulator sent before this response, on any channel, are due now. */
    sst_channel_drain_all();
    if (!ok) {
        return MEMTX_ERROR;
    }
    if (s->response.status != SST_MMIO_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "sst-device %s: %u-byte %s at 0x%" HWADDR_PRIx ": %s\n", sst_device_name(s),
                      size, what, offset, sst_mmio_status_str(s->response.status));
        return MEMTX_ERROR;
    }
    if (type == SST_MMIO_READ) {
        *data = s->response.data & MAKE_64BIT_MASK(0, size * 8);
    }
    return MEMTX_OK;
}

static MemTxResult sst_device_read(void *opaque, hwaddr addr, uint64_t *data, unsigned size, MemTxAttrs attrs) {
    return sst_device_access(opaque, SST_MMIO_READ, addr, data, size);
}

static MemTxResult sst_device_write(void *opaque, hwaddr addr, uint64_t data, unsigned size, MemTxAttrs attrs) {
    return sst_device_access(opaque, SST_MMIO_WRITE, addr, &data, size);
}

static const MemoryRegionOps sst_device_ops = {
    .read_with_attrs = sst_device_read,
    .write_with_attrs = sst_device_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    /* One guest access is one frame: QEMU must neither split nor combine them.  Alignment is the
     * modelled device's business, so unaligned accesses go through as they are. */
    .valid = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
    .impl = {.min_access_size = 1, .max_access_size = 8, .unaligned = true},
};

/* --- placement on virt ------------------------------------------------------------------- */

/* Sources virt wires itself: virtio-mmio, UART, RTC, PCIe INTx and the platform bus. */
static bool sst_irq_used_by_virt(uint32_t n) {
    return (n >= VIRTIO_IRQ && n < VIRTIO_IRQ + VIRTIO_COUNT) || n == UART0_IRQ || n == RTC_IRQ ||
           (n >= PCIE_IRQ && n < PCIE_IRQ + SST_PCIE_IRQS) ||
           (n >= VIRT_PLATFORM_BUS_IRQ && n < VIRT_PLATFORM_BUS_IRQ + VIRT_PLATFORM_BUS_NUM_IRQS);
}

static SstDevice *sst_irq_owner(uint32_t n) {
    SstDevice *s;

    QTAILQ_FOREACH(s, &sst_devices, next) {
        if (s->irq_source == n) {
            return s;
        }
    }
    return NULL;
}

static bool sst_device_pick_irq(SstDevice *s, Error **errp) {
    uint32_t n = s->irq_source;

    if (n) {
        if (n >= VIRT_IRQCHIP_NUM_SOURCES || sst_irq_used_by_virt(n)) {
            error_setg(errp,
                       "sst-device %s: irq=%u is not free on virt's interrupt controller "
                       "(virt uses 1-8, 10, 11, 32-35 and 64-95; sources end at %u)",
                       sst_device_name(s), n, VIRT_IRQCHIP_NUM_SOURCES - 1);
            return false;
        }
        if (sst_irq_owner(n)) {
            error_setg(errp, "sst-device %s: irq=%u is already used by sst-device %s", sst_device_name(s), n,
                       sst_device_name(sst_irq_owner(n)));
            return false;
        }
        return true;
    }
    for (n = UART0_IRQ + 2; n < VIRT_PLATFORM_BUS_IRQ; n++) {
        if (!sst_irq_used_by_virt(n) && !sst_irq_owner(n)) {
            s->irq_source = n;
            return true;
        }
    }
    error_setg(errp,
               "sst-device %s: no free interrupt source left (12-31 and 36-63 are taken); "
               "pass irq=N",
               sst_device_name(s));
    return false;
}

static bool sst_device_check_window(SstDevice *s, Error **errp) {
    MemoryRegionSection hit;

    if (s->base_address == SST_NO_ADDRESS) {
        error_setg(errp, "sst-device %s: base_address= is required", sst_device_name(s));
        return false;
    }
    if (!s->size || s->base_address + s->size < s->base_address) {
        error_setg(errp, "sst-device %s: size 0x%" PRIx64 " at 0x%" PRIx64 " is not a valid window", sst_device_name(s),
                   s->size, s->base_address);
        return false;
    }
    hit = memory_region_find(get_system_memory(), s->base_address, s->size);
    if (hit.mr) {
        error_setg(errp, "sst-device %s: window [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps '%s' at 0x%" HWADDR_PRIx,
                   sst_device_name(s), s->base_address, s->base_address + s->size, memory_region_name(hit.mr),
                   hit.offset_within_address_space);
        memory_region_unref(hit.mr);
        return false;
    }
    return true;
}

/*
 * Describes the window to a Linux guest as /soc/sst-device@BASE.  virt copies machine->fdt into
 * guest memory from its machine-done notifier, which runs after -device options are realized.
 */
static void sst_device_add_fdt_node(SstDevice *s, RISCVVirtState *virt) {
    MachineState *ms = MACHINE(virt);
    MemoryRegion *chip_mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(virt->irqchip[0]), 0);
    g_autofree char *chip_name = g_strdup_printf("plic@%" HWADDR_PRIx, chip_mr->addr);
    g_autofree char *node = NULL;
    g_auto(GStrv) chips = NULL;

    if (!ms->fdt) {
        return;
    }
    chips = qemu_fdt_node_path(ms->fdt, chip_name, "riscv,plic0", NULL);
    if (!chips || !chips[0]) {
        warn_report("sst-device %s: no %s in the device tree (aia=?); a Linux guest will not find "
                    "the device",
                    sst_device_name(s), chip_name);
        return;
    }
    node = g_strdup_printf("/soc/sst-device@%" PRIx64, s->base_address);
    qemu_fdt_add_subnode(ms->fdt, node);
    qemu_fdt_setprop_string(ms->fdt, node, "compatible", "qemu-sst,sst-device");
    qemu_fdt_setprop_cells(ms->fdt, node, "reg", (uint32_t)(s->base_address >> 32), (uint32_t)s->base_address,
                           (uint32_t)(s->size >> 32), (uint32_t)s->size);
    qemu_fdt_setprop_cell(ms->fdt, node, "interrupt-parent", qemu_fdt_get_phandle(ms->fdt, chips[0]));
    qemu_fdt_setprop_cell(ms->fdt, node, "interrupts", s->irq_source);
}

/* --- lifetime ------------------------------------------------------------------------------ */

static bool sst_device_connect(SstDevice *s, Error **errp) {
    return sst_channel_connect(&s->ch, s->socket, s->connect_timeout_ms, SST_MMIO_CAP_SHM_RING | SST_MMIO_CAP_IRQ,
                               s->base_address, s->size, errp);
}

static void sst_device_realize(DeviceState *dev, Error **errp) {
    SstDevice *s = SST_DEVICE(dev);
    RISCVVirtState *virt = (RISCVVirtState *)object_dynamic_cast(qdev_get_machine(), TYPE_RISCV_VIRT_MACHINE);

    if (!virt) {
        error_setg(errp, "sst-device needs the riscv 'virt' machine");
        return;
    }
    if (!s->socket) {
        error_setg(errp, "sst-device %s: socket=PATH is required", sst_device_name(s));
        return;
    }
    if (!sst_device_check_window(s, errp) || !sst_device_pick_irq(s, errp) || !sst_device_connect(s, errp)) {
        s->irq_source = 0;
        return;
    }
    {
        /* Named after the device, so that another window overlapping it says which one it hit. */
        g_autofree char *region = g_strdup_printf(TYPE_SST_DEVICE " %s", sst_device_name(s));

        memory_region_init_io(&s->mmio, OBJECT(s), &sst_device_ops, s, region, s->size);
    }
    memory_region_add_subregion(get_system_memory(), s->base_address, &s->mmio);
    s->irq = qdev_get_gpio_in(virt->irqchip[0], (int)s->irq_source);
    sst_device_add_fdt_node(s, virt);
    s->irq_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, sst_device_irq_timer, s);
    QTAILQ_INSERT_TAIL(&sst_devices, s, next);
    sst_channel_start(&s->ch);
}

/* Not hot-unpluggable, so only reached if realized devices are ever torn down. */
static void sst_device_unrealize(DeviceState *dev) {
    SstDevice *s = SST_DEVICE(dev);
    SstIrqChange *c;

    sst_channel_stop(&s->ch);
    memory_region_del_subregion(get_system_memory(), &s->mmio);
    timer_free(s->irq_timer);
    while ((c = QSIMPLEQ_FIRST(&s->irq_pending))) {
        QSIMPLEQ_REMOVE_HEAD(&s->irq_pending, next);
        g_free(c);
    }
    QTAILQ_REMOVE(&sst_devices, s, next);
}

static void sst_device_instance_init(Object *obj) {
    SstDevice *s = SST_DEVICE(obj);

    QSIMPLEQ_INIT(&s->irq_pending);
    sst_channel_init(&s->ch, TYPE_SST_DEVICE, DEVICE(s), s, sst_mmio_family(), &s->rx_frame, sizeof(s->rx_frame),
                     sst_device_handle_frame, sst_device_channel_end);
}

static Property sst_device_properties[] = {
    DEFINE_PROP_STRING("socket", SstDevice, socket),
    DEFINE_PROP_UINT64("base_address", SstDevice, base_address, SST_NO_ADDRESS),
    DEFINE_PROP_UINT64("size", SstDevice, size, 4096),
    DEFINE_PROP_UINT32("irq", SstDevice, irq_source, 0),
    DEFINE_PROP_UINT32("connect_timeout_ms", SstDevice, connect_timeout_ms, 10000),
    DEFINE_PROP_END_OF_LIST(),
};

/* The device's state lives in the simulator: refuse migration and snapshots. */
static const VMStateDescription sst_device_vmstate = {
    .name = TYPE_SST_DEVICE,
    .unmigratable = 1,
};

static void sst_device_class_init(ObjectClass *klass, void *data) {
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "MMIO window served by an SST simulation (qemu-sst)";
    dc->realize = sst_device_realize;
    dc->unrealize = sst_device_unrealize;
    dc->vmsd = &sst_device_vmstate;
    dc->hotpluggable = false; /* connects and maps itself while the machine is being built */
    device_class_set_props(dc, sst_device_properties);
    object_class_property_set_description(klass, "socket", "Unix socket of the simulator's channel for this window");
    object_class_property_set_description(klass, "base_address", "guest-physical base (required)");
    object_class_property_set_description(klass, "size", "window size in bytes");
    object_class_property_set_description(klass, "irq",
                                          "source on virt's PLIC; 0 picks a free "
                                          "one from 12-31, 36-63 in command-line order");
    object_class_property_set_description(klass, "connect_timeout_ms",
                                          "how long to retry connecting, and to wait for the handshake");
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo sst_device_info = {
    .name = TYPE_SST_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(SstDevice),
    .instance_init = sst_device_instance_init,
    .class_init = sst_device_class_init,
};

static void sst_device_register_types(void) { type_register_static(&sst_device_info); }

type_init(sst_device_register_types)
