// ImportPostman: a Postman collection (format v2.1, and v2.0) into flowtest suites, as YAML text.
// Pure: text in (the Document), text out.
//
// What it writes (docs/import-export.md has the details):
//   - one suite per top-level folder (requests at the top level form a suite named after the
//     collection), or one suite for the whole collection with `single_suite`; nested folders are
//     flattened, their names prefixed to the step names ("Users / Create");
//   - collection and folder variables become suite variables; `{{var}}` stays `{{var}}` (names
//     that are not identifiers, `base-url`, `api.key`, are renamed: `base_url`, `api_key`);
//     Postman dynamic variables become faker templates (`{{$randomEmail}}` ->
//     `{{$faker.internet.email}}`, see faker_tokens.hpp);
//   - requests: method, url (raw or structured; `:id` path variables become `{{id}}`; query
//     parameters go to `params` when that sends the same query), headers, bodies (raw JSON and
//     text, urlencoded, formdata with files, file, GraphQL), auth (bearer, basic, API key, OAuth 2
//     access tokens; inherited from folders and the collection) as headers or query parameters;
//   - test scripts (the collection's and folders' too) as assertions and captures, as far as
//     postman_script.hpp recognises them; the rest, and pre-request scripts, are kept as YAML
//     comments on the step and reported as warnings;
//   - with several suites, a variable a folder sets (pm.environment.set, ...) and a later folder
//     uses becomes an export of the first suite and `{{node.var}}` plus a `depends` in the later.
// Errors (kInvalidArgument) point at the place of the collection: not a collection, v1, or a
// structure of the wrong shape (postman_collection.hpp).
#pragma once

#include "core/convert/conversion.hpp"
#include "core/parse/document.hpp"
#include "core/result.hpp"

namespace flow::core::convert {

struct PostmanImportOptions {
  bool single_suite = false;  // the whole collection as one suite
};

Result<ImportResult> ImportPostman(const Document& collection,
                                   const PostmanImportOptions& options = {});

}  // namespace flow::core::convert
