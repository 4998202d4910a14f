import Testing

@testable import SightlinePipeline

/// The environment extraction workers are started with.
@Suite struct WorkerEnvironmentTests {
    let setting = "glibc.malloc.tcache_count=\(WorkerProcess.tcacheCount)"

    @Test func addsTheCacheSettingAndKeepsTheRest() {
        let environment = WorkerProcess.environment(["PATH": "/usr/bin", "LANG": "C.UTF-8"])
        #expect(
            environment == ["PATH": "/usr/bin", "LANG": "C.UTF-8", "GLIBC_TUNABLES": setting, "OMP_THREAD_LIMIT": "1"])
    }

    @Test func tesseractGetsOneThreadUnlessTheUserSaysOtherwise() {
        #expect(WorkerProcess.environment([:])["OMP_THREAD_LIMIT"] == "1")
        #expect(WorkerProcess.environment(["OMP_THREAD_LIMIT": "4"])["OMP_THREAD_LIMIT"] == "4")
    }

    @Test func joinsOtherTunablesTheUserSet() {
        let environment = WorkerProcess.environment(["GLIBC_TUNABLES": "glibc.malloc.check=3"])
        #expect(environment["GLIBC_TUNABLES"] == "glibc.malloc.check=3:" + setting)
        #expect(WorkerProcess.environment(["GLIBC_TUNABLES": ""])["GLIBC_TUNABLES"] == setting)
    }

    @Test func keepsTheUsersOwnCacheSize() {
        for tunables in ["glibc.malloc.tcache_count=0", "glibc.malloc.check=3:glibc.malloc.tcache_count=12"] {
            #expect(WorkerProcess.environment(["GLIBC_TUNABLES": tunables])["GLIBC_TUNABLES"] == tunables)
        }
    }
}
