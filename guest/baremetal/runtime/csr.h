/* Machine-mode CSR access and the bits the runtime uses (RISC-V privileged spec). */
#ifndef RT_CSR_H
#define RT_CSR_H

#include <stdint.h>

#define csr_read(csr)                                  \
    ({                                                 \
        uintptr_t v_;                                  \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_)); \
        v_;                                            \
    })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "r"((uintptr_t)(val)) : "memory")
#define csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" : : "r"((uintptr_t)(bits)) : "memory")
#define csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" : : "r"((uintptr_t)(bits)) : "memory")

#define MSTATUS_MIE 0x8u
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)
#define MCAUSE_INTERRUPT ((uintptr_t)1 << (__riscv_xlen - 1))
#define IRQ_M_TIMER 7u
#define IRQ_M_EXTERNAL 11u

/* Synchronous exception causes (mcause without the interrupt bit). */
#define EXC_INSN_MISALIGNED 0u
#define EXC_INSN_ACCESS 1u
#define EXC_ILLEGAL_INSN 2u
#define EXC_BREAKPOINT 3u
#define EXC_LOAD_MISALIGNED 4u
#define EXC_LOAD_ACCESS 5u
#define EXC_STORE_MISALIGNED 6u
#define EXC_STORE_ACCESS 7u
#define EXC_ECALL_M 11u

#endif /* RT_CSR_H */
