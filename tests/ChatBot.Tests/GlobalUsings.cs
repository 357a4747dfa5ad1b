global using Xunit;
global using static ChatBot.Tests.Support.TestCancellation;
