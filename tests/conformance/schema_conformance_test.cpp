// The JSON Schema that `flowtest schema` prints agrees with the validator:
//  - every suite of the shared conformance data and of examples/ that the validator accepts is
//    valid for the schema (and every config file for the config schema);
//  - drift: for every key of the registry, a document with that key misspelt, and one with a
//    value of a wrong type, are rejected by both the validator and the schema (misspelt keys of
//    free-form mappings: a warning, and valid for the schema); each object's example is accepted
//    by both.
// The schema is checked by python3-jsonschema (tests/support/validate_json_schema.py), an
// implementation independent of ours, as editors are.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/input/input_plan.hpp"
#include "core/model/suite.hpp"
#include "core/parse/document.hpp"
#include "core/run/http_exchange.hpp"
#include "core/schema/json_schema.hpp"
#include "core/schema/registry.hpp"
#include "tests/support/process.hpp"
#include "tests/support/schema_test_support.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::testing {
namespace {

using core::Value;
using core::schema::KeyKind;
using core::schema::ObjectSpec;
using core::schema::Type;

// --- the validator's side -----------------------------------------------------------------

struct Verdict {
  bool errors = false;
  bool warnings = false;
  std::string detail;
};

Verdict ValidateSuite(const Value& document) {
  core::Document doc;
  doc.file = "drift.json";
  doc.root = document;
  doc.text = core::DumpJson(document);
  const core::SuiteLoad load = core::BuildSuite(std::move(doc));
  Verdict verdict{.errors = !load.errors.empty(), .warnings = !load.warnings.empty()};
  for (const core::Error& e : load.errors) verdict.detail += e.message + "; ";
  return verdict;
}

Verdict ValidateConfig(const Value& document) {
  core::Document doc;
  doc.file = "flow-test.config.json";
  doc.root = document;
  doc.text = core::DumpJson(document);
  const core::Result<core::Config> config = core::ParseConfig(doc, "p");
  Verdict verdict{.errors = !config.has_value()};
  if (!config) {
    verdict.detail = config.error().message;
  } else {
    verdict.warnings = !config->warnings.empty();
  }
  return verdict;
}

// The request builder: where multipart parts, body_file and body_base64 are checked.
Verdict ValidateRequest(const Value& request) {
  const core::Result<core::HttpRequest> built = core::BuildHttpRequest(request, core::RequestDefaults{});
  return {.errors = !built.has_value(), .detail = built ? "" : built.error().message};
}

// --- documents that hold an instance of each object ---------------------------------------

// A path from a root object to another: each step is the key (or "[]" for a list item, "{}" for
// a map value) and the object it leads to.
struct Hop {
  std::string key;
  std::string kind;  // "object", "list", "map"
};

// Breadth-first over the registry from `root`: the shortest way to each object.
std::map<std::string, std::vector<Hop>> Paths(const std::string& root) {
  std::map<std::string, std::vector<Hop>> paths{{root, {}}};
  std::vector<std::string> queue{root};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const ObjectSpec& object = core::schema::Object(queue[q]);
    for (const core::schema::KeySpec& key : object.keys) {
      if (key.kind != KeyKind::kSupported) continue;
      for (const Type& type : key.types) {
        std::vector<std::pair<std::string, std::string>> found;  // object id, kind
        if (type.kind == Type::Kind::kObject) found.emplace_back(type.object, "object");
        for (const Type& item : type.items) {
          if (item.kind == Type::Kind::kObject) found.emplace_back(item.object, "list");
        }
        for (const Type& value : type.values) {
          if (value.kind == Type::Kind::kObject) found.emplace_back(value.object, "map");
        }
        for (const auto& [id, kind] : found) {
          if (paths.count(id) != 0) continue;
          std::vector<Hop> path = paths[queue[q]];
          path.push_back({key.name, kind});
          paths[id] = path;
          queue.push_back(id);
        }
      }
    }
  }
  return paths;
}

Value Example(const std::string& id) { return Value::parse(core::schema::Object(id).example); }

// The root document with `instance` at the end of `path`, every object on the way its example.
// Returns the document; `pointer` is where the instance is.
Value Host(const std::string& root, const std::vector<Hop>& path, const Value& instance, std::string& pointer) {
  Value document = Example(root);
  Value* at = &document;
  pointer.clear();
  std::string id = root;
  const std::map<std::string, std::vector<Hop>> paths = Paths(root);
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Hop& hop = path[i];
    // The object this hop leads to.
    std::string next;
    for (const auto& [object, way] : paths) {
      if (way.size() == i + 1 && std::equal(way.begin(), way.end(), path.begin(),
                                             [](const Hop& a, const Hop& b) { return a.key == b.key && a.kind == b.kind; })) {
        next = object;
      }
    }
    const Value value = i + 1 == path.size() ? instance : Example(next);
    if (id == "step" && hop.key == "call") at->erase("request");  // a call step sends no request
    pointer += "/" + hop.key;
    if (hop.kind == "object") {
      (*at)[hop.key] = value;
      at = &(*at)[hop.key];
    } else if (hop.kind == "list") {
      (*at)[hop.key] = Value::array({value});
      at = &(*at)[hop.key][0];
      pointer += "/0";
    } else {
      (*at)[hop.key] = Value{{"entry", value}};
      at = &(*at)[hop.key]["entry"];
      pointer += "/entry";
    }
    id = next;
  }
  return document;
}

// A key like `key`, misspelt (two letters swapped), that the object does not have.
std::string Misspell(const ObjectSpec& object, const std::string& key) {
  std::string out = key;
  if (out.size() >= 3 && out[1] != out[2]) {
    std::swap(out[1], out[2]);
  } else if (out.size() >= 2 && out[0] != out[1]) {
    std::swap(out[0], out[1]);
  } else {
    out += "x";
  }
  while (object.FindKey(out) != nullptr) out += "x";
  return out;
}

// A value of none of the JSON types `types` accepts, or nullopt when they accept every type.
std::optional<Value> WrongType(const std::vector<Type>& types) {
  if (types.empty()) return std::nullopt;
  for (const Value& candidate : {Value::object({{"zz", 1}}), Value::array({1}), Value(true), Value(12345),
                                 Value("plain words"), Value(nullptr)}) {
    if (core::schema::MatchType(types, candidate) == nullptr) return candidate;
  }
  return std::nullopt;
}

// Whether the object is only a form of a value when a mapping has exactly its keys.
bool IsExactForm(const std::string& id) {
  bool exact = false;
  const auto visit = [&](const auto& self, const std::vector<Type>& types) -> void {
    for (const Type& type : types) {
      if (type.kind == Type::Kind::kObject && type.object == id && type.exact_keys) exact = true;
      self(self, type.items);
      self(self, type.values);
    }
  };
  for (const ObjectSpec& object : core::schema::Format().objects()) {
    for (const core::schema::KeySpec& key : object.keys) visit(visit, key.types);
  }
  return exact;
}

struct Case {
  std::string name;
  Value document;
  bool schema_valid = false;
  std::string schema_error;
  Verdict verdict;
  bool expect_errors = false;
  bool expect_warning = false;  // checked only when expect_errors is false
};

void Set(Value& document, const std::string& pointer, const std::string& key, const Value& value) {
  document[Value::json_pointer(pointer)][key] = value;
}

std::vector<Case> DriftCases(const std::string& root) {
  std::vector<Case> cases;
  const auto validate = [&](const Value& document) {
    return root == "config" ? ValidateConfig(document) : ValidateSuite(document);
  };
  for (const auto& [id, path] : Paths(root)) {
    const ObjectSpec& object = core::schema::Object(id);
    std::string pointer;
    const Value base = Host(root, path, Example(id), pointer);
    cases.push_back({.name = id + ": its example", .document = base, .verdict = validate(base)});
    for (const core::schema::KeySpec& key : object.keys) {
      Value misspelt = base;
      const Value sample = Example(id).contains(key.name) ? Example(id)[key.name] : Value("x");
      Set(misspelt, pointer, Misspell(object, key.name), sample);
      Case c{.name = id + "." + key.name + ": misspelt as '" + Misspell(object, key.name) + "'",
             .document = misspelt,
             .verdict = validate(misspelt)};
      c.expect_errors = object.unknown == core::schema::UnknownKeys::kReject;
      c.expect_warning = object.unknown == core::schema::UnknownKeys::kWarn;
      if (IsExactForm(id)) {
        // {value, secret} is that form only with exactly these keys: with another key it is a
        // plain value, for the validator as for the schema.
        c.expect_errors = false;
      }
      cases.push_back(std::move(c));
      if (key.checked == core::schema::CheckedAt::kSend) continue;  // see SendTimeChecks
      if (const std::optional<Value> wrong = WrongType(key.types)) {
        Value document = base;
        Set(document, pointer, key.name, *wrong);
        cases.push_back({.name = id + "." + key.name + ": wrong type " + core::DumpJson(*wrong),
                         .document = document,
                         .verdict = validate(document),
                         .expect_errors = true});
      }
    }
  }
  return cases;
}

// Runs the schema of `root` over the cases' documents (one python3 process). False (with
// `problem`) when the validator did not run; `missing`: because it is not installed.
bool CheckWithSchema(const std::string& root, std::vector<Case>& cases, std::string& problem, bool& missing) {
  std::vector<SchemaInstance> instances;
  for (const Case& c : cases) instances.push_back({c.name, c.document});
  std::optional<std::map<std::string, SchemaVerdict>> verdicts = ValidateWithJsonSchema(
      core::schema::GenerateJsonSchema(core::schema::Format(), root), instances, problem, missing);
  if (!verdicts) return false;
  for (Case& c : cases) {
    c.schema_valid = (*verdicts)[c.name].valid;
    c.schema_error = (*verdicts)[c.name].error;
  }
  return true;
}

void ExpectAgreement(const std::string& root) {
  std::vector<Case> cases = DriftCases(root);
  ASSERT_GT(cases.size(), 50u);
  std::string problem;
  bool missing = false;
  if (!CheckWithSchema(root, cases, problem, missing)) {
    if (missing) FLOW_SKIP_OR_FAIL_MISSING_TOOL(problem);
    FAIL() << problem;
  }
  std::size_t wrong_types = 0, misspelt = 0;
  for (const Case& c : cases) {
    EXPECT_EQ(c.verdict.errors, c.expect_errors) << c.name << ": " << c.verdict.detail << "\n"
                                                 << c.document.dump();
    EXPECT_EQ(c.schema_valid, !c.expect_errors) << c.name << ": " << c.schema_error << "\n"
                                                << c.document.dump();
    if (!c.expect_errors && c.expect_warning) {
      EXPECT_TRUE(c.verdict.warnings) << c.name;
    }
    if (c.name.find("wrong type") != std::string::npos) ++wrong_types;
    if (c.name.find("misspelt") != std::string::npos) ++misspelt;
  }
  EXPECT_GT(wrong_types, 40u);
  EXPECT_GT(misspelt, 60u);
}

TEST(SchemaDrift, EveryKeyOfTheSuiteFormatIsCheckedAlikeByTheValidatorAndTheSchema) {
  ExpectAgreement("suite");
}

TEST(SchemaDrift, EveryKeyOfTheConfigIsCheckedAlikeByTheLoaderAndTheSchema) { ExpectAgreement("config"); }

// Keys checked when the request is built (multipart parts, body_file, body_base64): the request
// builder rejects what the schema rejects.
TEST(SchemaDrift, KeysCheckedWhenTheRequestIsSentAreRejectedByTheRequestBuilder) {
  const Value request = Value::parse(R"({"method": "POST", "url": "http://127.0.0.1:9/"})");
  int checked = 0;
  for (const core::schema::KeySpec& key : core::schema::Object("request").keys) {
    if (key.checked != core::schema::CheckedAt::kSend) continue;
    Value r = request;
    r[key.name] = *WrongType(key.types);
    EXPECT_TRUE(ValidateRequest(r).errors) << key.name;
    ++checked;
  }
  for (const char* id : {"multipart.file", "multipart.value"}) {
    const ObjectSpec& object = core::schema::Object(id);
    Value r = request;
    r["headers"] = {{"Content-Type", "multipart/form-data"}};
    r["body"] = {{"part", Example(id)}};
    EXPECT_FALSE(ValidateRequest(r).errors) << id << ": " << ValidateRequest(r).detail;
    for (const core::schema::KeySpec& key : object.keys) {
      Value misspelt = r;
      misspelt["body"]["part"][Misspell(object, key.name)] = "x";
      EXPECT_TRUE(ValidateRequest(misspelt).errors) << id << "." << key.name << " misspelt";
      if (const std::optional<Value> wrong = WrongType(key.types)) {
        Value typed = r;
        typed["body"]["part"][key.name] = *wrong;
        EXPECT_TRUE(ValidateRequest(typed).errors) << id << "." << key.name << " " << wrong->dump();
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 5);
}

// Enums whose values the validators map to their own types: the same lists as the registry's.
TEST(SchemaDrift, EnumsMappedToTypesMatchTheRegistry) {
  std::vector<std::string> input_types;
  for (int t = 0; t <= static_cast<int>(core::InputType::kMultiline); ++t) {
    input_types.emplace_back(core::InputTypeName(static_cast<core::InputType>(t)));
  }
  EXPECT_EQ(input_types, core::schema::Object("input").Key("type").EnumValues());
  std::vector<std::string> formats(std::begin(core::kReportFormats), std::end(core::kReportFormats));
  EXPECT_EQ(formats, core::schema::Object("config.reporting").Key("formats").types.front().items.front().enum_values);
  std::vector<std::string> methods(std::begin(core::kHttpMethods), std::end(core::kHttpMethods));
  EXPECT_EQ(methods, core::schema::Object("request").Key("method").EnumValues());
}

// --- the suites users write ---------------------------------------------------------------

std::vector<std::filesystem::path> SuiteFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SchemaConformance, EverySuiteTheValidatorAcceptsIsValidForTheSchema) {
  const std::optional<std::filesystem::path> shared = OriginalSuitesDir();
  if (!shared) FLOW_SKIP_OR_FAIL_MISSING_SHARED("no original-suites under FLOW_SHARED_DIR");
  std::vector<Case> suites, configs;
  for (const std::filesystem::path& dir : {*shared, std::filesystem::path(SourceDirectory()) / "examples"}) {
    for (const std::filesystem::path& file : SuiteFiles(dir)) {
      const std::string text = ReadWholeFile(file);
      core::Result<core::Document> doc = core::ParseDocument(text, file.string());
      if (!doc) continue;
      const bool config = file.filename().string().rfind("flow-test", 0) == 0;
      Case c{.name = file.string(), .document = doc->root};
      c.verdict = config ? ValidateConfig(doc->root) : ValidateSuite(doc->root);
      if (c.verdict.errors) continue;  // the validator refuses it: nothing to compare
      (config ? configs : suites).push_back(std::move(c));
    }
  }
  ASSERT_GT(suites.size(), 40u);
  ASSERT_GE(configs.size(), 2u);
  std::string problem;
  bool missing = false;
  if (!CheckWithSchema("suite", suites, problem, missing) || !CheckWithSchema("config", configs, problem, missing)) {
    if (missing) FLOW_SKIP_OR_FAIL_MISSING_TOOL(problem);
    FAIL() << problem;
  }
  for (const std::vector<Case>* group : {&suites, &configs}) {
    for (const Case& c : *group) EXPECT_TRUE(c.schema_valid) << c.name << ": " << c.schema_error;
  }
}

}  // namespace
}  // namespace flow::testing
