using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrampSense.ServiceDefaults;

/// <summary>
/// The one options pattern of CrampSense: an options type is <em>read</em> from the configuration into a list of
/// problems (with the configuration binder, <see cref="Bind{T}"/>, where keys are property names; with
/// <see cref="ConfigurationValues"/> where they are not), then <em>validated</em> by its own check, and every
/// problem starts with its configuration key (<c>Mqtt:Port: 70000 is not a TCP port</c>). Programs get the options
/// through <see cref="Load{T}"/> (one exception listing every problem) or, under a Generic Host,
/// <see cref="AddKeyedOptions{T}"/> (checked at start, <c>ValidateOnStart</c>).
/// </summary>
public static class KeyedOptions
{
    /// <summary>
    /// Binds <paramref name="sectionName"/> with the configuration binder. A value it cannot convert (or, with
    /// <paramref name="errorOnUnknownKeys"/>, a key the type does not have) becomes one problem naming the key (the
    /// binder's own message, "Failed to convert configuration value at 'Sensors:Emg:RateHz' …"), and the result is
    /// null: nothing usable to validate. A missing section gives the type's defaults.
    /// </summary>
    public static T? Bind<T>(IConfiguration configuration, string sectionName, List<string> problems, bool errorOnUnknownKeys = false)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        try
        {
            return configuration.GetSection(sectionName).Get<T>(o => o.ErrorOnUnknownConfiguration = errorOnUnknownKeys) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}");
            return null;
        }
    }

    /// <summary>The problem of a check that throws an <see cref="ArgumentException"/> naming its key (e.g. a record's <c>Validate()</c>), as a list.</summary>
    public static IReadOnlyList<string> ProblemsOf(Action validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            validate();
            return [];
        }
        catch (ArgumentException e)
        {
            return [e.Message];
        }
    }

    /// <summary>Reads, then (when the read gave options) validates; the options, or every problem found.</summary>
    /// <param name="read">Reads the options, adding a problem per unreadable key; null when nothing usable was read.</param>
    /// <param name="validate">The options' own check: one problem per bad key.</param>
    /// <param name="problems">Receives every problem, each starting with its key.</param>
    public static T? TryLoad<T>(Func<List<string>, T?> read, Func<T, IEnumerable<string>> validate, List<string> problems)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(problems);
        var options = read(problems);
        if (options is not null)
        {
            problems.AddRange(validate(options));
        }

        return problems.Count == 0 ? options : null;
    }

    /// <summary>Reads and validates; throws <paramref name="fail"/>'s exception listing every problem.</summary>
    public static T Load<T>(Func<List<string>, T?> read, Func<T, IEnumerable<string>> validate, Func<IReadOnlyList<string>, Exception> fail)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(fail);
        var problems = new List<string>();
        return TryLoad(read, validate, problems) ?? throw fail(problems);
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> (as <see cref="IOptions{TOptions}"/> and as itself) read and validated as in
    /// <see cref="Load{T}"/>, checked when the host starts (<c>ValidateOnStart</c>): a bad key stops the start with one
    /// <see cref="OptionsValidationException"/> whose failures each name their key.
    /// </summary>
    public static OptionsBuilder<T> AddKeyedOptions<T>(this IServiceCollection services, Func<List<string>, T?> read, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IOptionsFactory<T>>(new Factory<T>(read, validate));
        services.AddSingleton(p => p.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().ValidateOnStart();
    }

    /// <summary>An options factory over read and validate: the options are records or have renamed keys, so <c>Configure</c> plus <c>IValidateOptions</c> would not fit.</summary>
    private sealed class Factory<T>(Func<List<string>, T?> read, Func<T, IEnumerable<string>> validate) : IOptionsFactory<T>
        where T : class
    {
        public T Create(string name)
        {
            var problems = new List<string>();
            return TryLoad(read, validate, problems) ?? throw new OptionsValidationException(name, typeof(T), problems);
        }
    }
}
