// ExportPostman: loaded suites into one Postman collection v2.1 (a Value, ready to be written as
// JSON). Pure.
//
//   - a folder per suite (its variables on the folder, and on the collection where no other suite
//     gave the name another value), an item per step with a request;
//   - the url is the suite's base_url joined with the step's url, `params` become the query;
//     headers as written (credentials included); bodies: JSON as raw JSON, forms as urlencoded,
//     multipart as formdata (file parts as files, their paths absolute), text as raw text,
//     body_file as a file body;
//   - templates: {{var}} as is; {{node.var}} exports as {{var}} (captures are collection
//     variables); {{$env.X}} as {{X}}; faker and built-ins as Postman dynamic variables where
//     faker_tokens.hpp names one ({{$faker.internet.email}} -> {{$randomEmail}}); anything else
//     (JavaScript, paths into variables) is left as written and listed in the item description;
//   - assertions as pm.test scripts for status_code, headers, response_time_ms and body paths
//     with equals, not_equals, contains, not_contains, regex, type, exists, the comparisons,
//     in/not_in, length, minLength, maxLength, notEmpty; captures of body paths, headers, the
//     status, the duration and literals as pm.collectionVariables.set;
//   - what has no Postman equivalent (iterate, scenarios, call, input, hooks, scripts, custom
//     assertions, skip, retry, delay, body_base64, JMESPath beyond simple paths) is named in the
//     item or folder description and in a warning. ImportPostman reads the result back.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model/suite.hpp"
#include "core/value.hpp"

namespace flow::core::convert {

struct PostmanExportOptions {
  std::string name = "flowtest suites";  // the collection's name
  std::string description;
  // Files (body_file, file parts) are relative to their suite file in flowtest and to Postman's
  // working directory in Postman: they are written joined to the suite's directory, and to this
  // directory when that is still relative (the CLI passes the current directory).
  std::string working_directory;
};

struct PostmanExport {
  Value collection;
  std::size_t folders = 0;
  std::size_t requests = 0;
  std::vector<Error> warnings;  // `where` at the step or suite that could not be exported whole
};

// `suites` in the order to export them (suites they depend on should come first).
PostmanExport ExportPostman(const std::vector<const Suite*>& suites,
                            const PostmanExportOptions& options = {});

}  // namespace flow::core::convert
