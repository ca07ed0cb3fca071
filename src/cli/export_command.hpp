// `flowtest export postman [PATH...] [--output FILE]`: suites into one Postman collection v2.1
// (core/convert/postman_export does the conversion; this finds and loads the suites and writes
// the collection). Like `import`, the first argument names the kind (only postman today).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// Exit status: 0 written, 1 a suite is invalid, none was found or the file exists, 2 usage or
// configuration error.
int RunExportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
