// The pickle virtual machine, reduced to the opcodes of the CIFAR pickles (see pickle.h).
#include "vision/datasets/pickle.h"

#include <cstring>
#include <map>

#include "ember/core/error.h"

namespace ember::vision::datasets::detail {

PickleRef PickleValue::get(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k->kind == Kind::String && k->string == key) return v;
    return nullptr;
}

const char* PickleValue::kind_name() const {
    switch (kind) {
        case Kind::None: return "None";
        case Kind::Bool: return "bool";
        case Kind::Int: return "int";
        case Kind::String: return "str";
        case Kind::List: return "list";
        case Kind::Tuple: return "tuple";
        case Kind::Dict: return "dict";
        case Kind::Global: return "global";
        case Kind::Array: return "numpy.ndarray";
        case Kind::DType: return "numpy.dtype";
        case Kind::Reduce: return "object";
    }
    return "?";
}

namespace {

using Kind = PickleValue::Kind;

class Unpickler {
public:
    Unpickler(const std::string& bytes, const std::string& path) : b_(bytes), path_(path) {}

    PickleRef run() {
        while (true) {
            const size_t at = pos_;
            const unsigned char op = byte();
            switch (op) {
                case 0x80: {  // PROTO
                    const unsigned proto = byte();
                    check(proto >= 2 && proto <= 3, at, "pickle protocol ", proto,
                          " (the CIFAR files use protocol 2)");
                    break;
                }
                case '.': {  // STOP
                    check(stack_.size() == 1 && marks_.empty(), at, "unbalanced stack at STOP");
                    check(!has_cycle(), at,
                          "a container that holds itself (the CIFAR pickles have none)");
                    succeeded_ = true;
                    return stack_.back();
                }
                case '(': marks_.push_back(stack_.size()); break;
                case 'N': push(make(Kind::None)); break;
                case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
                    auto v = make(Kind::Bool);
                    v->integer = op == 0x88;
                    push(v);
                    break;
                }
                case 'K': push_int(byte()); break;                                   // BININT1
                case 'M': push_int(int64_t(le(2))); break;                           // BININT2
                case 'J': push_int(int64_t(int32_t(uint32_t(le(4))))); break;      // BININT
                case 0x8a: {  // LONG1: little-endian two's complement
                    const size_t n = byte();
                    check(n <= 8, at, "integer of ", n, " bytes");
                    uint64_t v = n ? le(n) : 0;
                    if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);
                    push_int(int64_t(v));
                    break;
                }
                case 'U': case 'C': push_string(take(byte())); break;  // SHORT_BINSTRING/BYTES
                case 'T': case 'X': case 'B': push_string(take(le(4))); break;  // BINSTRING, ...
                case '}': push(make(Kind::Dict)); break;
                case ']': push(make(Kind::List)); break;
                case ')': push(make(Kind::Tuple)); break;
                case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
                    const size_t n = op - 0x84;
                    // (the items must lie above the last MARK)
                    check(stack_.size() >= n + (marks_.empty() ? 0 : marks_.back()), at,
                          "stack underflow");
                    auto t = make(Kind::Tuple);
                    t->items.assign(stack_.end() - long(n), stack_.end());
                    stack_.resize(stack_.size() - n);
                    push(t);
                    break;
                }
                case 't': {  // TUPLE
                    auto t = make(Kind::Tuple);
                    t->items = pop_mark(at);
                    push(t);
                    break;
                }
                case 'a': {  // APPEND
                    auto v = pop(at);
                    list_top(at)->items.push_back(v);
                    break;
                }
                case 'e': {  // APPENDS
                    auto items = pop_mark(at);
                    auto& list = list_top(at)->items;
                    list.insert(list.end(), items.begin(), items.end());
                    break;
                }
                case 's': {  // SETITEM
                    auto v = pop(at);
                    auto k = pop(at);
                    dict_top(at)->entries.emplace_back(k, v);
                    break;
                }
                case 'u': {  // SETITEMS
                    auto items = pop_mark(at);
                    check(items.size() % 2 == 0, at, "odd number of items for SETITEMS");
                    auto dict = dict_top(at);
                    for (size_t i = 0; i < items.size(); i += 2)
                        dict->entries.emplace_back(items[i], items[i + 1]);
                    break;
                }
                case 'q': memo_[byte()] = top(at); break;                          // BINPUT
                case 'r': memo_[le(4)] = top(at); break;                           // LONG_BINPUT
                case 'h': push(memo(byte(), at)); break;                            // BINGET
                case 'j': push(memo(le(4), at)); break;                             // LONG_BINGET
                case 'c': {  // GLOBAL module\nname\n
                    std::string module = line(at), name = line(at);
                    auto g = make(Kind::Global);
                    g->string = module + "." + name;
                    push(g);
                    break;
                }
                case 'R': {  // REDUCE
                    auto args = pop(at);
                    auto callable = pop(at);
                    push(reduce(callable, args, at));
                    break;
                }
                case 'b': {  // BUILD
                    auto state = pop(at);
                    build(top(at), state, at);
                    break;
                }
                default:
                    fail(at, "unsupported pickle opcode 0x", hex(op));
            }
        }
    }

private:
    template <class... A>
    [[noreturn]] void fail(size_t at, const A&... what) const {
        EMBER_ERROR("read_pickle: ", path_, " is corrupt or not a CIFAR pickle: ", what...,
                    " at byte ", at);
    }
    template <class... A>
    void check(bool ok, size_t at, const A&... what) const {
        if (!ok) fail(at, what...);
    }
    static std::string hex(unsigned v) {
        const char* digits = "0123456789abcdef";
        return std::string{digits[(v >> 4) & 15], digits[v & 15]};
    }

    unsigned char byte() {
        if (pos_ >= b_.size())
            EMBER_ERROR("read_pickle: ", path_, " is truncated: the pickle ends at byte ", pos_,
                        " before its STOP opcode");
        return static_cast<unsigned char>(b_[pos_++]);
    }
    uint64_t le(size_t n) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v |= uint64_t(byte()) << (8 * i);
        return v;
    }
    std::string take(uint64_t n) {
        if (n > b_.size() - pos_)
            EMBER_ERROR("read_pickle: ", path_, " is truncated: a ", n, "-byte string at byte ",
                        pos_, " runs past the end of the file (", b_.size(), " bytes)");
        std::string s = b_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::string line(size_t at) {
        const size_t end = b_.find('\n', pos_);
        check(end != std::string::npos, at, "unterminated GLOBAL");
        std::string s = b_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return s;
    }

    PickleRef make(Kind kind) {
        auto v = std::make_shared<PickleValue>();
        v->kind = kind;
        if (kind == Kind::List || kind == Kind::Tuple || kind == Kind::Dict) containers_.push_back(v);
        return v;
    }

    // Whether a container holds itself, directly or through others (an iterative depth-first
    // search over every container made: a cycle of shared pointers would never be freed).
    bool has_cycle() const {
        enum class State : uint8_t { New, Open, Done };
        std::map<const PickleValue*, State> state;
        auto children = [](const PickleValue& v) {
            std::vector<const PickleValue*> out;
            for (const auto& item : v.items) out.push_back(item.get());
            for (const auto& [key, value] : v.entries) {
                out.push_back(key.get());
                out.push_back(value.get());
            }
            return out;
        };
        for (const PickleRef& root : containers_) {
            if (state[root.get()] != State::New) continue;
            std::vector<std::pair<const PickleValue*, std::vector<const PickleValue*>>> path;
            state[root.get()] = State::Open;
            path.emplace_back(root.get(), children(*root));
            while (!path.empty()) {
                auto& pending = path.back().second;
                if (pending.empty()) {
                    state[path.back().first] = State::Done;
                    path.pop_back();
                    continue;
                }
                const PickleValue* next = pending.back();
                pending.pop_back();
                State& s = state[next];
                if (s == State::Open) return true;
                if (s == State::Done) continue;
                s = State::Open;
                path.emplace_back(next, children(*next));
            }
        }
        return false;
    }

public:
    // A failed or cyclic read leaves no cycle behind: every container is emptied (nothing made
    // here escapes unless the read succeeded without a cycle).
    ~Unpickler() {
        if (succeeded_) return;
        for (const PickleRef& c : containers_) {
            c->items.clear();
            c->entries.clear();
        }
    }

private:
    void push(PickleRef v) { stack_.push_back(std::move(v)); }
    void push_int(int64_t i) {
        auto v = make(Kind::Int);
        v->integer = i;
        push(v);
    }
    void push_string(std::string s) {
        auto v = make(Kind::String);
        v->string = std::move(s);
        push(v);
    }
    PickleRef top(size_t at) {
        check(!stack_.empty() && (marks_.empty() || stack_.size() > marks_.back()), at,
              "stack underflow");
        return stack_.back();
    }
    PickleRef pop(size_t at) {
        PickleRef v = top(at);
        stack_.pop_back();
        return v;
    }
    std::vector<PickleRef> pop_mark(size_t at) {
        check(!marks_.empty(), at, "no MARK");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<PickleRef> items(stack_.begin() + long(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    PickleRef list_top(size_t at) {
        PickleRef v = top(at);
        check(v->kind == Kind::List, at, "append to a ", v->kind_name());
        return v;
    }
    PickleRef dict_top(size_t at) {
        PickleRef v = top(at);
        check(v->kind == Kind::Dict, at, "set an item of a ", v->kind_name());
        return v;
    }
    PickleRef memo(uint64_t key, size_t at) {
        auto it = memo_.find(key);
        check(it != memo_.end(), at, "unknown memo key ", key);
        return it->second;
    }

    PickleRef reduce(const PickleRef& callable, const PickleRef& args, size_t at) {
        check(callable->kind == Kind::Global && args->kind == Kind::Tuple, at,
              "REDUCE of a ", callable->kind_name());
        const std::string& name = callable->string;
        if (name == "numpy.core.multiarray._reconstruct") return make(Kind::Array);
        if (name == "numpy.dtype") {
            check(!args->items.empty() && args->items[0]->kind == Kind::String, at,
                  "numpy.dtype without a type string");
            auto d = make(Kind::DType);
            d->string = args->items[0]->string;
            return d;
        }
        if (name == "_codecs.encode") {  // Python 3's protocol 2 form of bytes: encode(str, "latin1")
            check(args->items.size() == 2 && args->items[0]->kind == Kind::String, at,
                  "_codecs.encode arguments");
            auto s = make(Kind::String);
            // The str is UTF-8 here; latin1-encoding it gives back the original bytes.
            const std::string& u = args->items[0]->string;
            for (size_t i = 0; i < u.size(); ++i) {
                const auto c = static_cast<unsigned char>(u[i]);
                if (c < 0x80) {
                    s->string += char(c);
                } else {
                    check((c == 0xc2 || c == 0xc3) && i + 1 < u.size(), at, "non-latin1 text");
                    s->string += char(((c & 0x03) << 6) | (static_cast<unsigned char>(u[++i]) & 0x3f));
                }
            }
            return s;
        }
        fail(at, "call of ", name, " (only numpy arrays and dtypes are read)");
    }

    void build(const PickleRef& obj, const PickleRef& state, size_t at) {
        const auto& s = state->items;
        if (obj->kind == Kind::DType) {
            // (version, byte order, subarray, names, fields, elsize, alignment, flags)
            check(state->kind == Kind::Tuple && s.size() >= 2 && s[1]->kind == Kind::String &&
                      s[1]->string.size() == 1,
                  at, "numpy.dtype state");
            obj->byte_order = s[1]->string[0];
            return;
        }
        // ndarray: (version, shape, dtype, is_fortran, raw data)
        check(obj->kind == Kind::Array && state->kind == Kind::Tuple && s.size() == 5 &&
                  s[1]->kind == Kind::Tuple && s[2]->kind == Kind::DType &&
                  s[4]->kind == Kind::String,
              at, "BUILD of a ", obj->kind_name(), " (expected numpy.ndarray state)");
        for (const auto& d : s[1]->items) {
            check(d->kind == Kind::Int && d->integer >= 0, at, "array shape");
            obj->shape.push_back(d->integer);
        }
        check(s[3]->kind == Kind::Bool || s[3]->kind == Kind::Int, at, "array order flag");
        check(s[3]->integer == 0, at, "Fortran-ordered array");
        obj->dtype = s[2];
        obj->string = s[4]->string;
    }

    const std::string& b_;
    const std::string& path_;
    size_t pos_ = 0;
    std::vector<PickleRef> stack_;
    std::vector<size_t> marks_;
    std::map<uint64_t, PickleRef> memo_;
    std::vector<PickleRef> containers_;  // every list, tuple and dict made, for the cycle check
    bool succeeded_ = false;
};

}  // namespace

PickleRef read_pickle(const std::string& bytes, const std::string& path) {
    return Unpickler(bytes, path).run();
}

}  // namespace ember::vision::datasets::detail
