/* C side of start-up and exit. */
#include <unistd.h>

#include "rt.h"

int main(void);
void rt_start_c(void) __attribute__((noreturn));

void rt_start_c(void) { rt_exit(main()); }

void rt_exit(int status) {
    const uint32_t word = status == 0 ? SST_VIRT_TEST_PASS : SST_VIRT_TEST_FAIL_CODE(status);
    /* A failure code of 0 would read as success to the finisher; make it 1. */
    mmio_write32(SST_VIRT_TEST_BASE, (status != 0 && (status & 0xffff) == 0) ? SST_VIRT_TEST_FAIL_CODE(1) : word);
    for (;;) { /* only reached if the machine has no test device */
        __asm__ volatile("wfi");
    }
}

/* picolibc's exit() and abort() end here. */
void _exit(int status) { rt_exit(status); }
