using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gatehouse.Bench.RateClient;

/// <summary>Sleeps until a <see cref="Stopwatch"/> timestamp with microsecond precision (Linux clock_nanosleep, then a short yield loop).</summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int PrSetTimerSlack = 29;
    private const long SpinBelowNanoseconds = 15_000;

    /// <summary>Asks the kernel for 1 ns timer slack on the calling thread (the default 50 µs would blur the schedule).</summary>
    public static void ReduceTimerSlack() => _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);

    /// <summary>Returns at or just after <paramref name="timestamp"/>; returns at once if it has passed.</summary>
    public static void Until(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var nanoseconds = (long)(remaining * (1e9 / Stopwatch.Frequency));
            if (nanoseconds <= SpinBelowNanoseconds)
            {
                Thread.Yield();
                continue;
            }

            var sleep = nanoseconds - SpinBelowNanoseconds;
            var request = new Timespec { Seconds = sleep / 1_000_000_000, Nanoseconds = sleep % 1_000_000_000 };
            _ = ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc.so.6", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
