#include "element_registry.h"

#include <cctype>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <sstream>
#include <unistd.h>

#ifndef QEMU_SST_ELEMENT_DIR
#error "QEMU_SST_ELEMENT_DIR must name the build tree's element library directory"
#endif

namespace SST::Core {

bool registerComponent(ComponentDescription description) {
    ElementRegistry::instance().add(std::move(description));
    return true;
}

ElementRegistry& ElementRegistry::instance() {
    // Function-local so it exists before any library's static initializers register into it.
    static ElementRegistry registry;
    return registry;
}

void ElementRegistry::add(ComponentDescription description) {
    auto& elements = libraries_[description.library];
    const std::string name = description.name;
    if (!description.alias.empty())
        elements.emplace(description.alias, description);
    elements.emplace(name, std::move(description));
}

namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

std::vector<std::string> splitPathList(const char* list) {
    std::vector<std::string> dirs;
    if (list == nullptr)
        return dirs;
    std::stringstream stream(list);
    std::string dir;
    while (std::getline(stream, dir, ':'))
        if (!dir.empty())
            dirs.push_back(dir);
    return dirs;
}

std::string executableDirectory() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::vector<std::string> ElementRegistry::searchPath(const std::vector<std::string>& extra_paths) {
    std::vector<std::string> dirs = extra_paths;
    for (const std::string& dir : splitPathList(std::getenv("QEMU_SST_LIB_PATH")))
        dirs.push_back(dir);
    dirs.push_back(QEMU_SST_ELEMENT_DIR);
    if (std::string exe_dir = executableDirectory(); !exe_dir.empty())
        dirs.push_back(exe_dir + "/../lib/qemu-sst");
    return dirs;
}

void ElementRegistry::load(const std::string& library, const std::vector<std::string>& extra_paths,
                           const ConfigLocation& where) {
    const std::string file_name = "lib" + library + ".so";
    const std::vector<std::string> dirs = searchPath(extra_paths);
    for (const std::string& dir : dirs) {
        const std::string path = dir + "/" + file_name;
        if (access(path.c_str(), F_OK) != 0)
            continue;
        // RTLD_GLOBAL: a library may use event classes defined in another one.
        if (dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr)
            throw ConfigError("could not load element library '" + library + "' from " + path + ": " + dlerror(),
                              where);
        library_files_[library] = path;
        return;
    }
    throw ConfigError("no element library '" + library + "': " + file_name + " is not in any of: " + join(dirs, ", ") +
                          " (add a directory with --add-lib-path or QEMU_SST_LIB_PATH)",
                      where);
}

const ComponentDescription& ElementRegistry::resolve(const std::string& type,
                                                     const std::vector<std::string>& extra_paths,
                                                     const ConfigLocation& where) {
    const size_t dot = type.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == type.size())
        throw ConfigError("component type '" + type + "' must be written library.element", where);
    const std::string library = type.substr(0, dot);
    const std::string name = type.substr(dot + 1);

    if (libraries_.find(library) == libraries_.end())
        load(library, extra_paths, where);

    auto lib = libraries_.find(library);
    if (lib == libraries_.end()) {
        throw ConfigError("unknown component type '" + type + "': " + library_files_[library] +
                              " loaded but registered no components",
                          where);
    }
    auto element = lib->second.find(name);
    if (element == lib->second.end()) {
        std::vector<std::string> known;
        for (const auto& entry : lib->second)
            known.push_back(library + "." + entry.first);
        auto file = library_files_.find(library);
        std::string from = file == library_files_.end() ? "" : " (" + file->second + ")";
        throw ConfigError("unknown component type '" + type + "': library '" + library + "'" + from + " provides " +
                              join(known, ", "),
                          where);
    }
    return element->second;
}

bool matchesEliName(const char* pattern, const std::string& name) {
    const char* n = name.c_str();
    const char* p = pattern;
    while (*p) {
        if (p[0] == '%' && (p[1] == 'd' || p[1] == '(')) {
            const char* after = p + 1;
            if (*after == '(') {
                while (*after && *after != ')')
                    ++after;
                if (*after == ')')
                    ++after;
            }
            if (*after == 'd') {
                if (!std::isdigit(static_cast<unsigned char>(*n)))
                    return false;
                while (std::isdigit(static_cast<unsigned char>(*n)))
                    ++n;
                p = after + 1;
                continue;
            }
        }
        if (*p != *n)
            return false;
        ++p;
        ++n;
    }
    return *n == '\0';
}

}  // namespace SST::Core
