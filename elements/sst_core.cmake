# The element libraries built a second time, as ordinary elements of a real sst-core install, with
# the flags its sst-config reports: build/sst-core/elements/lib{acalsim,qemubinary}.so, which `sst
# --add-lib-path=build/sst-core/elements CONFIG` loads (the sst-core test tier does).
#
# sst-core is found through -DSST_CORE_PREFIX=DIR, else scripts/build-sst-core.sh's install in
# ~/.cache/qemu-sst/sst-core-current, else an sst-config on the PATH.  Without one nothing here is
# built, and the sst-core tier says so and skips.
set(SST_CORE_PREFIX "" CACHE PATH "An sst-core install to build the elements against (its bin/sst-config)")
set(QEMU_SST_SST_CORE_ELEMENT_DIR ${CMAKE_BINARY_DIR}/sst-core/elements CACHE INTERNAL "")

unset(QEMU_SST_SST_CONFIG CACHE)
if(SST_CORE_PREFIX)
  find_program(QEMU_SST_SST_CONFIG sst-config PATHS ${SST_CORE_PREFIX}/bin NO_DEFAULT_PATH)
  if(NOT QEMU_SST_SST_CONFIG)
    message(FATAL_ERROR "SST_CORE_PREFIX=${SST_CORE_PREFIX} has no bin/sst-config")
  endif()
else()
  find_program(QEMU_SST_SST_CONFIG sst-config PATHS $ENV{HOME}/.cache/qemu-sst/sst-core-current/install/bin
               NO_DEFAULT_PATH)
  if(NOT QEMU_SST_SST_CONFIG)
    find_program(QEMU_SST_SST_CONFIG sst-config)
  endif()
endif()

# Seen by tests/sst_core: the sst binary, or "-" when there is none.
if(NOT QEMU_SST_SST_CONFIG OR QEMU_SST_SANITIZE OR QEMU_SST_FUZZ)
  set(QEMU_SST_SST_BINARY "-" CACHE INTERNAL "")
  return()
endif()
get_filename_component(sst_bin_dir ${QEMU_SST_SST_CONFIG} DIRECTORY)
set(QEMU_SST_SST_BINARY ${sst_bin_dir}/sst CACHE INTERNAL "")

execute_process(COMMAND ${QEMU_SST_SST_CONFIG} --ELEMENT_CXXFLAGS OUTPUT_VARIABLE sst_cxxflags
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${QEMU_SST_SST_CONFIG} --ELEMENT_LDFLAGS OUTPUT_VARIABLE sst_ldflags
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
separate_arguments(sst_cxxflags UNIX_COMMAND "${sst_cxxflags}")
separate_arguments(sst_ldflags UNIX_COMMAND "${sst_ldflags}")
# sst-config's -std=... is the standard the elements compile with (CXX_STANDARD below, so that
# CMake's own -std does not override it).
set(sst_std 17)
foreach(flag IN LISTS sst_cxxflags)
  if(flag MATCHES "^-std=(c|gnu)\\+\\+([0-9]+)$")
    set(sst_std ${CMAKE_MATCH_2})
  endif()
endforeach()
list(FILTER sst_cxxflags EXCLUDE REGEX "^-std=")
message(STATUS "sst-core: ${QEMU_SST_SST_CONFIG}; elements also built as sst-core elements (C++${sst_std}) "
               "in ${QEMU_SST_SST_CORE_ELEMENT_DIR}")

function(qemu_sst_add_sst_core_element lib)
  add_library(sst_core_${lib} MODULE ${ARGN})
  target_compile_options(sst_core_${lib} PRIVATE ${sst_cxxflags})
  target_link_options(sst_core_${lib} PRIVATE ${sst_ldflags})
  target_include_directories(sst_core_${lib} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(sst_core_${lib} PRIVATE qemu_sst_headers)
  set_target_properties(sst_core_${lib} PROPERTIES
    CXX_STANDARD ${sst_std}
    PREFIX "lib"
    OUTPUT_NAME "${lib}"
    LIBRARY_OUTPUT_DIRECTORY "${QEMU_SST_SST_CORE_ELEMENT_DIR}")
endfunction()

qemu_sst_add_sst_core_element(acalsim ${QEMU_SST_ACALSIM_SOURCES})
qemu_sst_add_sst_core_element(qemubinary ${QEMU_SST_QEMUBINARY_SOURCES})
target_link_libraries(sst_core_qemubinary PRIVATE qemu_sst_transport)
