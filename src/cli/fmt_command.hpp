// `flowtest fmt [PATH...] [--check] [--diff]`: rewrites suite files canonically (core/fmt), in
// place and atomically; --check lists the files that would change, --diff prints the changes.
// The composition root of the formatter: reads and writes the files. Stateless.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// 0 every file is formatted (or already was), 1 a file was refused or could not be read or
// written, or (--check) a file would change, 2 usage or configuration error.
int RunFmtCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
