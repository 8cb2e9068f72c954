using Microsoft.AspNetCore.Components.Server.Circuits;

namespace RustDesk.Web.Components.Shared;

/// <summary>
/// Whether the browser behind this circuit is connected right now. A navigation asked of a circuit whose browser is
/// gone without saying goodbye (tab closed while its beacon was lost, laptop asleep, network down) is a JavaScript call
/// nobody answers: after <see cref="Microsoft.AspNetCore.Components.Server.CircuitOptions.JSInteropDefaultCallTimeout"/>
/// (1 minute) the framework logs it as an error and ends the circuit, which the server keeps for 3 minutes. A component
/// that navigates on its own (not in answer to a click) asks first and otherwise waits for <see cref="Reconnected"/>.
/// Outside a circuit (static rendering) it reads as connected.
/// </summary>
public sealed class CircuitConnection
{
    public bool IsConnected { get; private set; } = true;

    /// <summary>Raised on the circuit's dispatcher when the browser has connected again.</summary>
    public event Action? Reconnected;

    /// <summary>Keeps <see cref="CircuitConnection"/> true to the circuit (one handler per circuit, scoped).</summary>
    internal sealed class Handler(CircuitConnection connection) : CircuitHandler
    {
        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            var wasDown = !connection.IsConnected;
            connection.IsConnected = true;
            if (wasDown)
            {
                connection.Reconnected?.Invoke();
            }
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            connection.IsConnected = false;
            return Task.CompletedTask;
        }
    }
}
