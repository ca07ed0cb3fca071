// `flowtest schema [--config] [--output FILE]`: prints the JSON Schema of the suite format (or of
// flow-test.config.yml) generated from the registry the validators use (core/schema). Stateless.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// 0 printed or written, 1 the output file could not be written, 2 usage error.
int RunSchemaCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
