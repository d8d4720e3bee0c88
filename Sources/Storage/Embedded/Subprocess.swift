import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command to completion and captures what it printed: initdb,
/// pg_ctl, osmium, pg_dump. The wait blocks a thread of its own, never
/// one of Swift concurrency's (one per core): a command waited on there for
/// a minute left the process's other tasks (a server's requests, a test's
/// deadlines) one thread fewer, and two such waits left them none.
///
/// posix_spawn and waitpid rather than Foundation's `Process`: `pg_ctl start`
/// leaves a daemon behind, and waiting on `Process` from an async context was
/// seen to hang. Output goes to a temporary file rather than a pipe, so no
/// descendant holding a pipe end can keep the read from finishing.
struct Subprocess {
    struct Output {
        let status: Int32
        let text: String
    }

    /// - Parameters:
    ///   - runAs: a system user to run the command as (through `runuser`), or nil for the current user.
    ///   - environment: variables to add to this process's environment for the command.
    ///   - whileRunning: called with the command's process id about five
    ///     times a second until it ends (to report its progress).
    static func run(
        _ executable: String, _ arguments: [String], runAs: String? = nil, environment: [String: String] = [:],
        whileRunning: (@Sendable (pid_t) -> Void)? = nil
    ) async throws -> Output {
        try await onOwnThread { try blocking(executable, arguments, runAs: runAs, environment: environment, whileRunning: whileRunning) }
    }

    private static func blocking(
        _ executable: String, _ arguments: [String], runAs: String?, environment: [String: String], whileRunning: ((pid_t) -> Void)?
    ) throws -> Output {
        let argv = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("wayline-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            throw EmbeddedPostgresError.commandFailed(command: argv[0], output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        // waitpid fails otherwise only when the child is no longer this
        // process's to wait for: something else reaped it, so it has ended;
        // its status is lost, and callers check its output. (Polling until no
        // process had its number, as this did before, could wait forever: the
        // number is given to new processes, database backends among them.)
        if let whileRunning {
            while true {
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid || (waited == -1 && errno != EINTR) { break }
                if waited == 0 {
                    whileRunning(pid)
                    usleep(200_000)
                }
            }
        } else {
            while waitpid(pid, &status, 0) != pid, errno == EINTR {}
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let exited = status & 0x7F == 0
        return Output(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), text: text)
    }
}
