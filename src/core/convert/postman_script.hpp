// Postman test scripts (`pm.test(...)`, `pm.expect(...)`, `pm.environment.set(...)`, and the
// legacy `tests[...] = ...` form) read as far as they map onto flowtest assertions and captures.
// A small JavaScript tokenizer and expression parser recognise the statement shapes below; every
// statement that does not map is returned, as written, for the caller to keep (never dropped).
// Pure, thread-safe.
//
// Recognised (`X` a literal, or pm.variables/environment/collectionVariables/globals.get("v"),
// which becomes "{{v}}"):
//   pm.response.to.have.status(200)  pm.response.to.be.ok/success/created/notFound/...
//   pm.expect(pm.response.code).to.eql(200) / .to.be.oneOf([200, 201]) / .to.be.below(500)
//   pm.expect(pm.response.json().a.b[0]).to.eql(X) / .to.include(X) / .to.be.a("string") /
//     .to.match(/re/) / .to.have.lengthOf(3) / .to.be.above(1) / .to.exist / .to.be.empty / ...
//     (also through `var jsonData = pm.response.json()` or JSON.parse(responseBody))
//   pm.expect(jsonData).to.have.property("id") / .to.have.property("id", X)
//   pm.response.to.have.header("X") / .to.have.header("X", "v"),
//     pm.expect(pm.response.headers.get("X")).to.eql("v")
//   pm.expect(pm.response.responseTime).to.be.below(500)
//   pm.response.to.be.json           (content-type contains json)
//   pm.environment.set("x", pm.response.json().token)   (also collectionVariables, globals,
//     variables, postman.setEnvironmentVariable): captures of body paths, headers, the status
//     and literals
//   tests["..."] = responseCode.code === 200 / responseTime < 500 / jsonData.x === X
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace flow::core::convert {

struct ScriptConversion {
  Value assertions = Value::object();       // a flowtest `assert` block
  Value captures = Value::object();         // a flowtest `capture` block (name -> expression)
  std::vector<std::string> unconverted;     // statements kept as written (each may span lines)
  std::vector<std::string> variables_read;  // names of pm.*.get("v") turned into "{{v}}"
};

// Reads a test script. Assertions that would clash with one already in `into` (a second check
// of the same operator on the same value) are reported as unconverted.
void ConvertPostmanTests(std::string_view script, ScriptConversion& into);

}  // namespace flow::core::convert
