/* Console on virt's NS16550A UART, and the picolibc stdio streams that printf/puts write to. */
#include <stdio.h>

#include "rt.h"

#define UART_THR 0          /* transmit holding register */
#define UART_LSR 5          /* line status */
#define UART_LSR_THRE 0x20u /* THR empty: room for a byte */

void rt_putc(char c) {
    /* QEMU's UART never stays busy, but a real 16550 would: wait for room rather than drop. */
    while (!(mmio_read8(SST_VIRT_UART0_BASE + UART_LSR) & UART_LSR_THRE)) {
    }
    mmio_write8(SST_VIRT_UART0_BASE + UART_THR, (uint8_t)c);
}

void rt_puts(const char *s) {
    while (*s) {
        rt_putc(*s++);
    }
}

static int stdio_put(char c, FILE *f) {
    (void)f;
    rt_putc(c);
    return (unsigned char)c;
}

/* picolibc's tinystdio: the application supplies the stream objects.  Unbuffered, so output is
 * complete even when the program ends through the test device without flushing. */
static FILE console_stream = FDEV_SETUP_STREAM(stdio_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
