using System.Globalization;
using ChatBot.Core.Indexing;

namespace ChatBot.Storage.Sqlite;

/// <summary>
/// One serving process per SQLite file: an exclusive OS lock on <c>&lt;file&gt;.lock</c>, held while the store is open,
/// released by the OS if the process dies (no stale lease to expire). Two <c>run</c> processes on one file would
/// both take the unanswered updates of the inbox and answer every question in flight twice; the second refuses to
/// start with one line naming the first (<c>&lt;file&gt;.owner</c>: its process id, host and start time).
/// </summary>
public sealed class SqliteOwnerLock : IDisposable
{
    private readonly FileStream _lock;

    private SqliteOwnerLock(FileStream handle) => _lock = handle;

    public static SqliteOwnerLock Acquire(string location, TimeProvider time)
    {
        var lockPath = location + ".lock";
        var ownerPath = location + ".owner";
        FileStream handle;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a share lock on Windows: a second open fails.
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IndexStoreException(
                $"The index '{location}' cannot be served: its folder '{Path.GetDirectoryName(location)}' is not writable by this user ({ex.Message.TrimEnd('.')}). " +
                "Check who may write the folder and the file (ls -l, chown, chmod), or point ChatBot:Store:Path (environment: ChatBot__Store__Path) elsewhere. Nothing needs deleting.");
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            var owner = ReadOwner(ownerPath);
            throw new IndexStoreException(
                $"The index '{location}' is already served by another ChatBot process ({owner}). Two processes on one SQLite file " +
                "would answer every question twice: stop the other one, or give this one its own ChatBot:Store:Path (environment: ChatBot__Store__Path).");
        }
        try
        {
            File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} on {Environment.MachineName}, started {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the name a second process would show is lost: the lock itself holds.
        }
        return new SqliteOwnerLock(handle);
    }

    private static string ReadOwner(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown process";
        }
        catch (IOException)
        {
            return "unknown process";
        }
    }

    public void Dispose() => _lock.Dispose();
}
