import SightlineCLI

SightlineMain.main(AggregateCommand.self)
