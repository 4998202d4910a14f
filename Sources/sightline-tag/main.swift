import SightlineCLI

SightlineMain.main(SightlineCommand.self)
