# qemu_sst_add_element_library(<lib> SOURCES <file>... [LINK_LIBRARIES <target>...])
#
# Builds the element library lib<lib>.so into QEMU_SST_ELEMENT_DIR, where the runner finds it when
# a configuration names a component "<lib>.<element>".  The target is called <lib>.
function(qemu_sst_add_element_library lib)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LINK_LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "qemu_sst_add_element_library(${lib}): SOURCES is required")
  endif()
  add_library(${lib} MODULE ${ARG_SOURCES})
  target_link_libraries(${lib} PRIVATE qemu_sst_engine ${ARG_LINK_LIBRARIES})
  set_target_properties(${lib} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME "${lib}"
    LIBRARY_OUTPUT_DIRECTORY "${QEMU_SST_ELEMENT_DIR}")
endfunction()
