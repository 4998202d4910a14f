import SightlineCLI

SightlineMain.main(TagCommand.self)
