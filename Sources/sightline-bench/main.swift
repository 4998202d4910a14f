import SightlineCLI

SightlineMain.main(BenchCommand.self)
