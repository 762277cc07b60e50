# The element libraries built again, as ordinary elements of a real sst-core install, with the flags
# its sst-config reports: <build>/sst-core/elements/lib{acalsim,qemubinary}.so, which `sst
# --add-lib-path=<build>/sst-core/elements CONFIG` loads (the sst-core test tier does).  And once more
# against an MPI build of sst-core, when there is one, in <build>/sst-core-mpi/elements.
#
# sst-core is found through -DSST_CORE_PREFIX=DIR, else scripts/build-sst-core.sh's install in
# ~/.cache/qemu-sst/sst-core-current, else an sst-config on the PATH; the MPI one through
# -DSST_CORE_MPI_PREFIX=DIR, else ~/.cache/qemu-sst/sst-core-mpi-current (build-sst-core.sh --mpi).
# Without one nothing here is built, and the sst-core tier says so and skips.
set(SST_CORE_PREFIX "" CACHE PATH "An sst-core install to build the elements against (its bin/sst-config)")
set(SST_CORE_MPI_PREFIX "" CACHE PATH "An sst-core install built with MPI (its bin/sst-config)")

# Finds kind's sst-config (prefix given, else the cache's install, else, for the serial kind, the PATH).
function(qemu_sst_find_sst_config var prefix cached)
  if(prefix)
    find_program(found sst-config PATHS ${prefix}/bin NO_DEFAULT_PATH NO_CACHE)
    if(NOT found)
      message(FATAL_ERROR "${prefix} has no bin/sst-config")
    endif()
  else()
    find_program(found sst-config PATHS ${cached} NO_DEFAULT_PATH NO_CACHE)
    if(NOT found AND var STREQUAL "serial")
      find_program(found sst-config NO_CACHE)
    endif()
  endif()
  set(sst_config_${var} "${found}" PARENT_SCOPE)
endfunction()

# Builds the element libraries against sst_config into out_dir; sets QEMU_SST_<KIND>_SST_BINARY.
function(qemu_sst_sst_core_elements kind sst_config out_dir)
  execute_process(COMMAND ${sst_config} --ELEMENT_CXXFLAGS OUTPUT_VARIABLE cxxflags
                  OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  execute_process(COMMAND ${sst_config} --ELEMENT_LDFLAGS OUTPUT_VARIABLE ldflags
                  OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  separate_arguments(cxxflags UNIX_COMMAND "${cxxflags}")
  separate_arguments(ldflags UNIX_COMMAND "${ldflags}")
  # sst-config's -std=... is the standard the elements compile with (CXX_STANDARD, so that CMake's
  # own -std does not override it).
  set(std 17)
  foreach(flag IN LISTS cxxflags)
    if(flag MATCHES "^-std=(c|gnu)\\+\\+([0-9]+)$")
      set(std ${CMAKE_MATCH_2})
    endif()
  endforeach()
  list(FILTER cxxflags EXCLUDE REGEX "^-std=")
  message(STATUS "sst-core (${kind}): ${sst_config}; elements also built against it (C++${std}) in ${out_dir}")
  foreach(lib acalsim qemubinary benchring)
    set(target sst_core_${kind}_${lib})
    string(TOUPPER ${lib} upper)
    add_library(${target} MODULE ${QEMU_SST_${upper}_SOURCES})
    target_compile_options(${target} PRIVATE ${cxxflags})
    target_link_options(${target} PRIVATE ${ldflags})
    target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${target} PRIVATE qemu_sst_headers)
    set_target_properties(${target} PROPERTIES CXX_STANDARD ${std} PREFIX "lib" OUTPUT_NAME "${lib}"
                                               LIBRARY_OUTPUT_DIRECTORY "${out_dir}")
  endforeach()
  target_link_libraries(sst_core_${kind}_qemubinary PRIVATE qemu_sst_transport)
endfunction()

# Seen by tests/sst_core: each kind's sst binary, or "-" when there is none.
set(QEMU_SST_SST_BINARY "-" CACHE INTERNAL "")
set(QEMU_SST_MPI_SST_BINARY "-" CACHE INTERNAL "")
set(QEMU_SST_SST_CORE_ELEMENT_DIR ${CMAKE_BINARY_DIR}/sst-core/elements CACHE INTERNAL "")
set(QEMU_SST_MPI_SST_CORE_ELEMENT_DIR ${CMAKE_BINARY_DIR}/sst-core-mpi/elements CACHE INTERNAL "")
if(QEMU_SST_SANITIZE OR QEMU_SST_FUZZ)
  return()
endif()

qemu_sst_find_sst_config(serial "${SST_CORE_PREFIX}" $ENV{HOME}/.cache/qemu-sst/sst-core-current/install/bin)
if(sst_config_serial)
  qemu_sst_sst_core_elements(serial ${sst_config_serial} ${QEMU_SST_SST_CORE_ELEMENT_DIR})
  get_filename_component(bin ${sst_config_serial} DIRECTORY)
  set(QEMU_SST_SST_BINARY ${bin}/sst CACHE INTERNAL "")
endif()

qemu_sst_find_sst_config(mpi "${SST_CORE_MPI_PREFIX}" $ENV{HOME}/.cache/qemu-sst/sst-core-mpi-current/install/bin)
find_program(QEMU_SST_MPIRUN mpirun)
if(sst_config_mpi AND QEMU_SST_MPIRUN)
  qemu_sst_sst_core_elements(mpi ${sst_config_mpi} ${QEMU_SST_MPI_SST_CORE_ELEMENT_DIR})
  get_filename_component(bin ${sst_config_mpi} DIRECTORY)
  set(QEMU_SST_MPI_SST_BINARY ${bin}/sst CACHE INTERNAL "")
endif()
