// CompiledValue: a Value tree with its strings parsed as Templates once.
#include <string>
#include <utility>
#include <vector>

#include "core/template/template.hpp"

namespace flow::core {
namespace template_detail {

struct Node {
  enum class Kind { kConstant, kTemplate, kObject, kArray };
  Kind kind = Kind::kConstant;
  Value constant;                 // kConstant (filled in by the nearest non-constant parent)
  std::optional<Template> text;   // kTemplate
  std::vector<std::string> keys;  // kObject: the keys, in order, as written (never templates)
  std::vector<Node> children;     // kObject and kArray
};

}  // namespace template_detail

namespace {

using template_detail::Node;

// "/a~1b/0": RFC 6901 escaping of one reference token.
std::string PointerToken(std::string_view key) {
  std::string out = "/";
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Error AtPointer(Error error, std::string_view token) {
  error.pointer = PointerToken(token) + error.pointer;
  return error;
}

// Constant subtrees are not copied here: the first ancestor with an expression (or Compile, for
// a constant root) copies them once, so compiling a large constant body is linear.
Result<Node> CompileNode(const Value& value, int depth) {
  Node node;
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (std::optional<DirectExpression> direct = DetectDirectExpression(text);
        direct && direct->kind != DirectKind::kJmesPath) {
      node.kind = Node::Kind::kTemplate;
      node.text = Template::FromDirect(*direct);
      return node;
    }
    Result<Template> parsed = Template::Parse(text);
    if (!parsed) return std::move(parsed).error();
    if (parsed->HasExpressions()) {
      node.kind = Node::Kind::kTemplate;
      node.text = std::move(parsed).value();
    }
    return node;
  }
  if (!value.is_object() && !value.is_array()) return node;
  if (depth >= CompiledValue::kMaxDepth) {
    Error error = InvalidArgument("value nested deeper than " +
                                  std::to_string(CompiledValue::kMaxDepth) + " levels");
    error.reason = "too-deep";
    return error;
  }
  const bool is_object = value.is_object();
  bool any_expression = false;
  std::vector<std::string> keys;
  std::vector<Node> children;
  children.reserve(value.size());
  std::size_t index = 0;
  for (auto it = value.begin(); it != value.end(); ++it, ++index) {
    Result<Node> child = CompileNode(*it, depth + 1);
    if (!child) {
      return AtPointer(std::move(child).error(), is_object ? it.key() : std::to_string(index));
    }
    any_expression = any_expression || child->kind != Node::Kind::kConstant;
    if (is_object) keys.push_back(it.key());
    children.push_back(std::move(child).value());
  }
  if (!any_expression) return node;  // constant
  index = 0;
  for (auto it = value.begin(); it != value.end(); ++it, ++index) {
    if (children[index].kind == Node::Kind::kConstant) children[index].constant = *it;
  }
  node.kind = is_object ? Node::Kind::kObject : Node::Kind::kArray;
  node.keys = std::move(keys);
  node.children = std::move(children);
  return node;
}

Result<Value> RenderNode(const Node& node, const InterpolationContext& ctx) {
  switch (node.kind) {
    case Node::Kind::kConstant:
      return node.constant;
    case Node::Kind::kTemplate:
      return node.text->Render(ctx);
    case Node::Kind::kObject: {
      Value out = Value::object();
      // Keys come from an object, so they are unique: append without ordered_map's linear
      // duplicate search.
      auto& members = static_cast<Value::object_t::Container&>(out.get_ref<Value::object_t&>());
      members.reserve(node.children.size());
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        Result<Value> child = RenderNode(node.children[i], ctx);
        if (!child) return AtPointer(std::move(child).error(), node.keys[i]);
        members.emplace_back(node.keys[i], std::move(child).value());
      }
      return out;
    }
    case Node::Kind::kArray: {
      Value out = Value::array();
      auto& items = out.get_ref<Value::array_t&>();
      items.reserve(node.children.size());
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        Result<Value> child = RenderNode(node.children[i], ctx);
        if (!child) return AtPointer(std::move(child).error(), std::to_string(i));
        items.push_back(std::move(child).value());
      }
      return out;
    }
  }
  return Internal("unknown compiled value kind");
}

void CollectScriptUses(const Node& node, const std::string& pointer, std::vector<ScriptUse>& out) {
  switch (node.kind) {
    case Node::Kind::kConstant:
      return;
    case Node::Kind::kTemplate:
      for (ScriptUse& use : node.text->ScriptUses()) {
        use.pointer = pointer;
        out.push_back(std::move(use));
      }
      return;
    case Node::Kind::kObject:
    case Node::Kind::kArray:
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        CollectScriptUses(node.children[i],
                          pointer + PointerToken(node.kind == Node::Kind::kObject
                                                     ? node.keys[i]
                                                     : std::to_string(i)),
                          out);
      }
      return;
  }
}

}  // namespace

std::vector<ScriptUse> CompiledValue::ScriptUses() const {
  std::vector<ScriptUse> uses;
  if (root_ != nullptr) CollectScriptUses(*root_, "", uses);
  return uses;
}

Result<CompiledValue> CompiledValue::Compile(const Value& value) {
  Result<Node> root = CompileNode(value, 0);
  if (!root) return std::move(root).error();
  if (root->kind == Node::Kind::kConstant) root->constant = value;
  CompiledValue compiled;
  compiled.root_ = std::make_shared<const Node>(std::move(root).value());
  return compiled;
}

bool CompiledValue::HasExpressions() const {
  return root_ != nullptr && root_->kind != Node::Kind::kConstant;
}

Result<Value> CompiledValue::Render(const InterpolationContext& ctx) const {
  if (root_ == nullptr) return Value();
  return RenderNode(*root_, ctx);
}

}  // namespace flow::core
