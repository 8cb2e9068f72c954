namespace RustDesk.Load.Scenarios;

/// <summary>One load scenario. A new one (sign-in throughput with N clients, the 2FA steps, …) is a class here, registered in Program.cs.</summary>
public interface IScenario
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the scenario and returns the process exit code.</summary>
    Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken);
}
