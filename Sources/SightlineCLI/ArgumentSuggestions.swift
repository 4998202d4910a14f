import ArgumentParser
import Foundation

/// Catches a mistyped subcommand or option before argument parsing, and
/// names it with the nearest correct one ("unknown option '--ot'; did you
/// mean '--out'?"), where the parser would report a missing argument or an
/// unexpected one without saying which word was wrong.
enum ArgumentSuggestions {
    /// A message for the first unknown subcommand or long option in `arguments`, or nil when there is none.
    static func problem(in arguments: [String], root: any ParsableCommand.Type) -> (message: String, command: String)? {
        var command = root
        var path = [root._commandName]
        var index = 0
        // Walk down the subcommands named.
        while index < arguments.count, !command.configuration.subcommands.isEmpty {
            let word = arguments[index]
            if word.hasPrefix("-") { break }
            let names = command.configuration.subcommands.map { $0._commandName }
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else {
                if word == "help" { return nil }
                var message = "unknown command '\(word)'"
                if let near = nearest(word, in: names) { message += "; did you mean '\(near)'?" }
                return (message + " (commands: \(names.joined(separator: ", ")))", path.joined(separator: " "))
            }
            path.append(next._commandName)
            command = next
            index += 1
        }
        let known = longOptions(of: command, root: root)
        for argument in arguments[index...] {
            if argument == "--" { break }
            guard argument.hasPrefix("--"), argument.count > 2 else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            if known.contains(name) { continue }
            var message = "unknown option '\(name)'"
            if let near = nearest(name, in: known.sorted()) { message += "; did you mean '\(near)'?" }
            return (message, path.joined(separator: " "))
        }
        return nil
    }

    /// The long options a command's help lists (hidden ones too), with those every command takes.
    static func longOptions(of command: any ParsableCommand.Type, root: any ParsableCommand.Type) -> Set<String> {
        let help = root.helpMessage(for: command, includeHidden: true, columns: 1000)
        var names: Set<String> = ["--help", "--version", "--experimental-dump-help", "--generate-completion-script"]
        // A constant pattern: it compiles, or every suggestion test fails.
        guard let pattern = try? NSRegularExpression(pattern: "--[a-z][a-z0-9-]*") else { return names }
        let range = NSRange(help.startIndex..., in: help)
        for match in pattern.matches(in: help, range: range) {
            if let found = Range(match.range, in: help) { names.insert(String(help[found])) }
        }
        return names
    }

    /// The candidate closest to `word` by edit distance, when it is close enough to be the one meant.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        let bare = word.drop { $0 == "-" }.count
        return best.1 <= max(2, bare / 3) && best.1 < bare ? best.0 : nil
    }

    /// Levenshtein distance, counting a swap of two neighbouring letters as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
