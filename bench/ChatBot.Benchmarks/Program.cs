using ChatBot.Benchmarks;

// Figures for the closing notes; never part of the test run. See README.md, "Benchmarks".
return args.FirstOrDefault() switch
{
    "onnx" => await OnnxThroughput.RunAsync(args.Skip(1).ToArray()),
    "llm" => await LanguageModelOverhead.RunAsync(args.Skip(1).ToArray()),
    "pipeline" => await Pipeline.RunAsync(args.Skip(1).ToArray()),
    "hotpaths" => HotPathsReport(args.Skip(1).ToArray()),
    "pipeline-ingest" => await Pipeline.IngestAsync(args.Skip(1).ToArray()),
    "pipeline-query" => await Pipeline.QueryAsync(args.Skip(1).ToArray()),
    "sources" => await SourcesFetch.RunAsync(args.Skip(1).ToArray()),
    "stores" => await SmallStores.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int HotPathsReport(string[] args)
{
    var summary = BenchmarkDotNet.Running.BenchmarkRunner.Run<HotPaths>(args: args);
    return summary.HasCriticalValidationErrors ? 1 : 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ChatBot.Benchmarks -- onnx [MODEL_DIR] | llm [CALLS] | pipeline [QUERIES] [CHUNKS,CHUNKS,...] | hotpaths [BenchmarkDotNet options] | sources [PAGES] | stores POSTGRES_CONNECTION [CALLS]");
    return 2;
}
