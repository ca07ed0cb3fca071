#include "core/convert/postman_collection.hpp"

#include <algorithm>
#include <array>
#include <functional>

namespace flow::core::convert {
namespace {

constexpr int kMaxFolderDepth = 64;

class Checker {
 public:
  explicit Checker(PostmanVersion version) : version_(version) {}

  std::vector<Error> Check(const Value& root) {
    if (!root.is_object()) {
      Fail("", "a Postman collection must be a JSON object, got " + std::string(TypeName(root)));
      return std::move(errors_);
    }
    const auto info = root.find("info");
    if (info == root.end()) {
      Fail("", "a Postman collection needs 'info' (with 'name' and 'schema')");
    } else if (!info->is_object()) {
      TypeMismatch("/info", "an object", *info);
    } else {
      RequireString(*info, "/info", "name");
      OptionalString(*info, "/info", "schema");
      Description(*info, "/info");
    }
    const auto items = root.find("item");
    if (items == root.end()) {
      Fail("", "a Postman collection needs 'item' (the list of folders and requests)");
    } else {
      ItemList(*items, "/item", 0);
    }
    Common(root, "");
    return std::move(errors_);
  }

 private:
  void Fail(const std::string& pointer, std::string message) {
    errors_.push_back(InvalidArgumentAt(std::move(message), pointer, "postman-structure"));
  }
  void TypeMismatch(const std::string& pointer, const std::string& expected, const Value& got) {
    Fail(pointer, Label(pointer) + " must be " + expected + ", got " + std::string(TypeName(got)));
  }
  // "'name'" for a member, "item 2 of 'exec'" for a list item.
  static std::string Label(const std::string& pointer) {
    const std::size_t slash = pointer.rfind('/');
    const std::string last = slash == std::string::npos ? pointer : pointer.substr(slash + 1);
    const bool index = !last.empty() && std::all_of(last.begin(), last.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
    if (!index || slash == std::string::npos) return "'" + last + "'";
    const std::string parent = pointer.substr(0, slash);
    return "item " + last + " of '" + parent.substr(parent.rfind('/') + 1) + "'";
  }

  // Calls `fn` on each item of `list` with its pointer; `list` must be a list of objects
  // (`expected` says which), anything else is a problem.
  void Items(const Value& list, const std::string& pointer, const char* expected,
             const std::function<void(const Value&, const std::string&)>& fn) {
    if (!list.is_array()) {
      TypeMismatch(pointer, "a list", list);
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = JoinPointer(pointer, i);
      if (list[i].is_object()) {
        fn(list[i], at);
      } else {
        TypeMismatch(at, expected, list[i]);
      }
    }
  }

  void RequireString(const Value& object, const std::string& pointer, const char* key) {
    const auto found = object.find(key);
    if (found == object.end()) {
      Fail(pointer, std::string("missing '") + key + "'");
    } else if (!found->is_string()) {
      TypeMismatch(JoinPointer(pointer, key), "a string", *found);
    }
  }
  void OptionalString(const Value& object, const std::string& pointer, const char* key,
                      bool null_ok = false) {
    const auto found = object.find(key);
    if (found != object.end() && !found->is_string() && !(null_ok && found->is_null())) {
      TypeMismatch(JoinPointer(pointer, key), "a string", *found);
    }
  }
  void OptionalBool(const Value& object, const std::string& pointer, const char* key) {
    const auto found = object.find(key);
    if (found != object.end() && !found->is_boolean()) {
      TypeMismatch(JoinPointer(pointer, key), "true or false", *found);
    }
  }
  // A description: a string, null, or {content, type, version}.
  void Description(const Value& object, const std::string& pointer) {
    const auto found = object.find("description");
    if (found == object.end() || found->is_string() || found->is_null()) return;
    if (!found->is_object()) {
      TypeMismatch(JoinPointer(pointer, "description"), "a string or an object", *found);
      return;
    }
    OptionalString(*found, JoinPointer(pointer, "description"), "content");
  }

  // Keys common to the collection, folders and requests: variable, event, auth.
  void Common(const Value& object, const std::string& pointer) {
    if (const auto variables = object.find("variable"); variables != object.end()) {
      Variables(*variables, JoinPointer(pointer, "variable"));
    }
    if (const auto events = object.find("event"); events != object.end()) {
      Events(*events, JoinPointer(pointer, "event"));
    }
    if (const auto auth = object.find("auth"); auth != object.end()) {
      Auth(*auth, JoinPointer(pointer, "auth"));
    }
  }

  void ItemList(const Value& items, const std::string& pointer, int depth) {
    if (!items.is_array()) {
      TypeMismatch(pointer, "a list", items);
      return;
    }
    if (depth > kMaxFolderDepth) {
      Fail(pointer, "folders are nested more than " + std::to_string(kMaxFolderDepth) + " deep");
      return;
    }
    for (std::size_t i = 0; i < items.size(); ++i) Item(items[i], JoinPointer(pointer, i), depth);
  }

  void Item(const Value& item, const std::string& pointer, int depth) {
    if (!item.is_object()) {
      TypeMismatch(pointer, "an object (a folder or a request)", item);
      return;
    }
    OptionalString(item, pointer, "name");
    OptionalString(item, pointer, "id");
    Description(item, pointer);
    Common(item, pointer);
    if (const auto children = item.find("item"); children != item.end()) {
      ItemList(*children, JoinPointer(pointer, "item"), depth + 1);
      return;
    }
    const auto request = item.find("request");
    if (request == item.end()) {
      Fail(pointer, "an item needs 'request' (a request) or 'item' (a folder)");
      return;
    }
    Request(*request, JoinPointer(pointer, "request"));
    if (const auto responses = item.find("response");
        responses != item.end() && !responses->is_array()) {
      TypeMismatch(JoinPointer(pointer, "response"), "a list", *responses);
    }
    if (const auto behavior = item.find("protocolProfileBehavior");
        behavior != item.end() && !behavior->is_object()) {
      TypeMismatch(JoinPointer(pointer, "protocolProfileBehavior"), "an object", *behavior);
    }
  }

  void Request(const Value& request, const std::string& pointer) {
    if (request.is_string()) return;  // a URL alone
    if (!request.is_object()) {
      TypeMismatch(pointer, "an object or a URL string", request);
      return;
    }
    OptionalString(request, pointer, "method");
    Description(request, pointer);
    if (const auto url = request.find("url"); url != request.end())
      Url(*url, JoinPointer(pointer, "url"));
    if (const auto headers = request.find("header"); headers != request.end()) {
      Headers(*headers, JoinPointer(pointer, "header"));
    }
    if (const auto body = request.find("body"); body != request.end() && !body->is_null()) {
      Body(*body, JoinPointer(pointer, "body"));
    }
    if (const auto auth = request.find("auth"); auth != request.end())
      Auth(*auth, JoinPointer(pointer, "auth"));
  }

  void StringOrStrings(const Value& object, const std::string& pointer, const char* key,
                       bool objects_ok = false) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_string()) return;
    const std::string at = JoinPointer(pointer, key);
    if (!found->is_array()) {
      TypeMismatch(at, "a string or a list", *found);
      return;
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
      const Value& part = (*found)[i];
      if (!part.is_string() && !(objects_ok && part.is_object())) {
        TypeMismatch(JoinPointer(at, i), "a string", part);
      }
    }
  }

  void Url(const Value& url, const std::string& pointer) {
    if (url.is_string()) return;
    if (!url.is_object()) {
      TypeMismatch(pointer, "a string or an object", url);
      return;
    }
    OptionalString(url, pointer, "raw");
    OptionalString(url, pointer, "protocol");
    OptionalString(url, pointer, "port");
    OptionalString(url, pointer, "hash");
    StringOrStrings(url, pointer, "host");
    StringOrStrings(url, pointer, "path", true);
    if (const auto query = url.find("query"); query != url.end()) {
      KeyValues(*query, JoinPointer(pointer, "query"), false, true);
    }
    if (const auto variables = url.find("variable"); variables != url.end()) {
      Variables(*variables, JoinPointer(pointer, "variable"));
    }
  }

  // A list of {key, value, disabled}: headers (key and value required), query parameters
  // (null keys and values allowed), urlencoded fields.
  void KeyValues(const Value& list, const std::string& pointer, bool value_required, bool null_ok) {
    Items(list, pointer, "an object with 'key' and 'value'",
          [&](const Value& entry, const std::string& at) {
            if (null_ok) {
              OptionalString(entry, at, "key", true);
              OptionalString(entry, at, "value", true);
            } else {
              RequireString(entry, at, "key");
              if (value_required) {
                RequireString(entry, at, "value");
              } else {
                OptionalString(entry, at, "value");
              }
            }
            OptionalBool(entry, at, "disabled");
          });
  }

  void Headers(const Value& headers, const std::string& pointer) {
    if (headers.is_string() || headers.is_null()) return;  // "Name: value\n..." (v2.0)
    KeyValues(headers, pointer, true, false);
  }

  void Body(const Value& body, const std::string& pointer) {
    if (!body.is_object()) {
      TypeMismatch(pointer, "an object", body);
      return;
    }
    static constexpr std::array<std::string_view, 5> kModes{"raw", "urlencoded", "formdata", "file",
                                                            "graphql"};
    const auto mode = body.find("mode");
    if (mode != body.end()) {
      if (!mode->is_string() || std::find(kModes.begin(), kModes.end(),
                                          mode->get_ref<const std::string&>()) == kModes.end()) {
        Fail(JoinPointer(pointer, "mode"),
             "'mode' must be one of raw, urlencoded, formdata, file, graphql");
      }
    }
    OptionalString(body, pointer, "raw");
    OptionalBool(body, pointer, "disabled");
    if (const auto fields = body.find("urlencoded"); fields != body.end()) {
      KeyValues(*fields, JoinPointer(pointer, "urlencoded"), false, false);
    }
    if (const auto parts = body.find("formdata"); parts != body.end()) {
      FormData(*parts, JoinPointer(pointer, "formdata"));
    }
    if (const auto file = body.find("file"); file != body.end()) {
      if (!file->is_object()) {
        TypeMismatch(JoinPointer(pointer, "file"), "an object", *file);
      } else {
        OptionalString(*file, JoinPointer(pointer, "file"), "src", true);
      }
    }
    if (const auto graphql = body.find("graphql"); graphql != body.end() && !graphql->is_object()) {
      TypeMismatch(JoinPointer(pointer, "graphql"), "an object", *graphql);
    }
    if (const auto options = body.find("options"); options != body.end() && !options->is_object()) {
      TypeMismatch(JoinPointer(pointer, "options"), "an object", *options);
    }
  }

  void FormData(const Value& parts, const std::string& pointer) {
    Items(parts, pointer, "an object with 'key'", [&](const Value& part, const std::string& at) {
      RequireString(part, at, "key");
      OptionalString(part, at, "value", true);
      OptionalString(part, at, "contentType");
      OptionalBool(part, at, "disabled");
      if (const auto type = part.find("type"); type != part.end()) {
        if (!type->is_string() || (*type != "text" && *type != "file")) {
          Fail(JoinPointer(at, "type"), "'type' of a form part must be 'text' or 'file'");
        }
      }
      if (const auto src = part.find("src"); src != part.end() && !src->is_null()) {
        StringOrStrings(part, at, "src");
      }
    });
  }

  void Auth(const Value& auth, const std::string& pointer) {
    if (auth.is_null()) return;
    if (!auth.is_object()) {
      TypeMismatch(pointer, "an object", auth);
      return;
    }
    const auto type = auth.find("type");
    if (type == auth.end()) {
      Fail(pointer, "missing 'type' (bearer, basic, apikey, noauth, ...)");
      return;
    }
    if (!type->is_string()) {
      TypeMismatch(JoinPointer(pointer, "type"), "a string", *type);
      return;
    }
    const std::string& name = type->get_ref<const std::string&>();
    const auto params = auth.find(name);
    if (params == auth.end()) return;
    const std::string at = JoinPointer(pointer, name);
    if (params->is_object() && version_ == PostmanVersion::kV20) return;
    if (!params->is_array()) {
      TypeMismatch(
          at, version_ == PostmanVersion::kV20 ? "a list or an object" : "a list of {key, value}",
          *params);
      return;
    }
    for (std::size_t i = 0; i < params->size(); ++i) {
      const Value& entry = (*params)[i];
      if (!entry.is_object()) {
        TypeMismatch(JoinPointer(at, i), "an object with 'key' and 'value'", entry);
        continue;
      }
      RequireString(entry, JoinPointer(at, i), "key");
    }
  }

  void Events(const Value& events, const std::string& pointer) {
    Items(events, pointer, "an object with 'listen' and 'script'",
          [&](const Value& event, const std::string& at) {
            RequireString(event, at, "listen");
            OptionalBool(event, at, "disabled");
            const auto script = event.find("script");
            if (script == event.end()) return;
            if (!script->is_object()) {
              TypeMismatch(JoinPointer(at, "script"), "an object", *script);
              return;
            }
            OptionalString(*script, JoinPointer(at, "script"), "type");
            StringOrStrings(*script, JoinPointer(at, "script"), "exec");
          });
  }

  void Variables(const Value& variables, const std::string& pointer) {
    Items(variables, pointer, "an object with 'key' and 'value'",
          [&](const Value& variable, const std::string& at) {
            if (!variable.contains("key") && !variable.contains("id"))
              Fail(at, "a variable needs 'key'");
            OptionalString(variable, at, "key");
            OptionalBool(variable, at, "disabled");
            if (const auto type = variable.find("type"); type != variable.end()) {
              if (!type->is_string() || (*type != "string" && *type != "boolean" &&
                                         *type != "any" && *type != "number")) {
                Fail(JoinPointer(at, "type"),
                     "'type' of a variable must be string, boolean, any or number");
              }
            }
          });
  }

  PostmanVersion version_;
  std::vector<Error> errors_;
};

}  // namespace

std::vector<Error> CheckPostmanCollection(const Value& collection, PostmanVersion version) {
  return Checker(version).Check(collection);
}

}  // namespace flow::core::convert
