namespace ChatBot.Tests.Support;

/// <summary>The running test's cancellation token, as <c>Ct</c> in every test file (imported by GlobalUsings.cs).</summary>
public static class TestCancellation
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
