using System.Runtime.InteropServices;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Runs a batch writer's loop on a dedicated thread at a lower OS scheduling priority (Linux nice
/// <see cref="Nice"/>), so that on a busy core a request that becomes ready preempts the writer instead of waiting for
/// its batch to finish. The writer still gets a fair share of the core under full load (a weight of about a third of a
/// request thread's), so it keeps up and drops nothing.
/// </summary>
internal static partial class BackgroundThread
{
    /// <summary>The nice value the thread runs at (0 is normal, 19 the lowest).</summary>
    public const int Nice = 5;

    private const int PriorityProcess = 0;

    /// <summary>Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends with it.</summary>
    public static Task Start(string name, Action loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                LowerPriority();
                loop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    // setpriority(PRIO_PROCESS, tid) sets one thread's nice value on Linux; elsewhere the thread keeps normal priority.
    private static void LowerPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetPriority(PriorityProcess, GetThreadId(), Nice);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
