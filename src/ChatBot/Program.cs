using ChatBot.Cli;

// ask | index | search | eval | chat | run (the default): see Cli/CliApp.cs and README.md.
return await new CliApp(Console.Out, Console.Error).RunAsync(args);
