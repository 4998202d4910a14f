import SightlineCLI

SightlineMain.main(ExtractCommand.self)
