// Real SST generates this file with its build configuration; element sources include it first.
// The engine has nothing to configure, so it only marks which core the element is built against.
#ifndef SST_CORE_SST_CONFIG_H
#define SST_CORE_SST_CONFIG_H

#define QEMU_SST_ENGINE 1

#endif
