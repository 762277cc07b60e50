#ifndef QEMU_SST_ENGINE_ELEMENT_REGISTRY_H
#define QEMU_SST_ENGINE_ELEMENT_REGISTRY_H

#include "sst/core/eli/elementinfo.h"
#include "sst_engine/config_graph.h"

#include <map>
#include <string>
#include <vector>

namespace SST::Core {

// Every component type the process knows, filled by SST_ELI_REGISTER_COMPONENT at static
// initialization.  Types of libraries not yet loaded are found by dlopen()ing lib<library>.so,
// whose static initializers register its types.
class ElementRegistry {
public:
    static ElementRegistry& instance();

    void add(ComponentDescription description);

    // The description of "library.name", loading the library if needed.  Throws ConfigError at
    // where, saying which paths were searched or which names the library provides.
    const ComponentDescription& resolve(const std::string& type, const std::vector<std::string>& extra_paths,
                                        const ConfigLocation& where);

private:
    // Directories searched for element libraries, in order: extra_paths, $QEMU_SST_LIB_PATH,
    // the build tree's element directory, and <executable dir>/../lib/qemu-sst.
    static std::vector<std::string> searchPath(const std::vector<std::string>& extra_paths);

    void load(const std::string& library, const std::vector<std::string>& extra_paths, const ConfigLocation& where);

    std::map<std::string, std::map<std::string, ComponentDescription>> libraries_;
    std::map<std::string, std::string> library_files_;  // library -> the file it was loaded from
};

// ELI names may contain %d (or %(param)d), which matches a decimal number: "port%d" matches "port3".
bool matchesEliName(const char* pattern, const std::string& name);

}  // namespace SST::Core

#endif
