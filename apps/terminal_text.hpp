#pragma once
/// The one sanitiser of `peak`'s human output: file names, ids and operator text never reach a
/// terminal raw, so no escape sequence in them can redraw the screen (a fake "VALID").

#include <string>
#include <string_view>

namespace peak::apps {

/// `text` with every C0 control (newline and tab included), DEL, C1 control (U+0080..U+009F)
/// and byte that is not UTF-8 replaced by a visible escape: "\x1b", "\u009b", "\xff".
[[nodiscard]] std::string visible(std::string_view text);

/// visible() applied line by line: the newlines of a multi-line block stay newlines.
[[nodiscard]] std::string visible_lines(std::string_view text);

}  // namespace peak::apps
