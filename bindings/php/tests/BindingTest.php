<?php

declare(strict_types=1);

namespace CDS\Tests;

use CDS\BusyException;
use CDS\ClosedException;
use CDS\ConflictException;
use CDS\Exception;
use CDS\ForbiddenException;
use CDS\InternalException;
use CDS\InvalidJsonException;
use CDS\InvalidParamsException;
use CDS\Library;
use CDS\MethodGroup;
use CDS\MisuseException;
use CDS\NotFoundException;
use CDS\StorageException;
use CDS\TransitionNotAllowedException;
use CDS\UnknownMethodException;

/**
 * What the PHP layer adds: JSON encoding, magic namespaces, exception mapping, library
 * loading (ABI check, preloading).
 */
final class BindingTest extends CdsTestCase
{
    /** @var list<string> temporary directories removed after the test */
    private array $directories = [];

    protected function tearDown(): void
    {
        foreach ($this->directories as $dir) {
            self::removeTree($dir);
        }
        $this->directories = [];
        parent::tearDown();
    }

    public function testEmptyParamsAreSentAsAnEmptyJsonObject(): void
    {
        $db = $this->openDatabase();

        $expected = $db->call('meta.version', new \stdClass());

        self::assertSame($expected, $db->call('meta.version', []));
        self::assertSame($expected, $db->call('meta.version'));
        self::assertSame($expected, $db->meta->version());
    }

    public function testAListAsParamsIsRefusedAsInvalidParams(): void
    {
        $db = $this->openDatabase();

        $this->expectException(InvalidParamsException::class);
        $db->call('territory.get', ['09.541.11.33']);
    }

    public function testParamsThatAreNotValidUtf8ThrowInvalidJsonExceptionBeforeReachingTheLibrary(): void
    {
        $db = $this->openDatabase();

        try {
            $db->member->create(self::memberParams(['name' => "Nad\xffia"]));
            self::fail('invalid UTF-8 was encoded');
        } catch (InvalidJsonException $e) {
            self::assertSame('invalid_json', $e->getErrorCode());
            self::assertInstanceOf(\JsonException::class, $e->getPrevious());
        }
        self::assertSame([], $db->member->list()['items']);
    }

    public function testArabicLettersAccentsAndSlashesSurviveTheRoundTrip(): void
    {
        $db = $this->openDatabase();
        $name = 'Fatima-Zahra Aït Ouali / فاطمة الزهراء';

        $member = $db->member->create(self::memberParams(['name' => $name]));

        self::assertSame($name, $member['name']);
        self::assertSame($name, $db->member->get(['id' => $member['id']])['name']);
    }

    public function testMagicNamespaceCallsTheDottedMethodWithPositionalOrNamedParams(): void
    {
        $db = $this->openDatabase();

        self::assertInstanceOf(MethodGroup::class, $db->territory);
        self::assertSame('territory', $db->territory->name());
        self::assertSame('indicators.series', $db->indicators->series->name());
        self::assertSame(
            $db->territory->get(['code' => '09.541.11.33']),
            $db->territory->get(code: '09.541.11.33'),
        );
        self::assertSame(
            $db->call('territory.list', ['level' => 'commune', 'parent' => '09.541', 'limit' => 3]),
            $db->territory->list(level: 'commune', parent: '09.541', limit: 3),
        );
    }

    public function testMagicCallWithTwoPositionalArgumentsIsRefused(): void
    {
        $db = $this->openDatabase();

        $this->expectException(\InvalidArgumentException::class);
        $db->territory->get(['code' => '09.541.11.33'], ['again']);
    }

    public function testADatabaseCannotBeCloned(): void
    {
        $db = $this->openDatabase();

        $this->expectException(\Error::class);
        $this->expectExceptionMessage('__clone');
        $copy = clone $db;
        $copy->close();
    }

    /**
     * @return array<string, array{string, class-string<Exception>}>
     */
    public static function errorCodes(): array
    {
        return [
            'invalid_json' => ['invalid_json', InvalidJsonException::class],
            'unknown_method' => ['unknown_method', UnknownMethodException::class],
            'invalid_params' => ['invalid_params', InvalidParamsException::class],
            'not_found' => ['not_found', NotFoundException::class],
            'conflict' => ['conflict', ConflictException::class],
            'transition_not_allowed' => ['transition_not_allowed', TransitionNotAllowedException::class],
            'forbidden' => ['forbidden', ForbiddenException::class],
            'storage' => ['storage', StorageException::class],
            'busy' => ['busy', BusyException::class],
            'internal' => ['internal', InternalException::class],
            'misuse' => ['misuse', MisuseException::class],
            'closed' => ['closed', ClosedException::class],
            'a code from a newer library' => ['quota_exceeded', Exception::class],
        ];
    }

    /**
     * @dataProvider errorCodes
     *
     * @param class-string<Exception> $class
     */
    public function testEachErrorCodeIsThrownAsItsOwnExceptionClassAndAnUnknownCodeAsCdsException(string $code, string $class): void
    {
        $e = Exception::fromError(['code' => $code, 'message' => 'm', 'details' => ['field' => 'x']]);

        self::assertSame($class, \get_class($e));
        self::assertInstanceOf(Exception::class, $e);
        self::assertInstanceOf(\RuntimeException::class, $e);
        self::assertSame($code, $e->getErrorCode());
        self::assertSame('m', $e->getMessage());
        self::assertSame(['field' => 'x'], $e->getDetails());
    }

    public function testTransitionNotAllowedExceptionListsEveryMissingRequirement(): void
    {
        $missing = [
            ['key' => 'funding_plan.covers_budget', 'label' => 'Le plan de financement couvre le budget'],
            ['key' => 'endorsement.commune', 'label' => 'Délibération de la commune'],
        ];

        $e = Exception::fromError(['code' => 'transition_not_allowed', 'message' => 'm', 'details' => ['missing' => $missing]]);

        self::assertInstanceOf(TransitionNotAllowedException::class, $e);
        self::assertSame($missing, $e->getMissing());
    }

    public function testAMalformedErrorObjectBecomesAnInternalException(): void
    {
        self::assertInstanceOf(InternalException::class, Exception::fromError('oops'));
        $e = Exception::fromError(['message' => 'no code', 'details' => 'not an object']);
        self::assertInstanceOf(InternalException::class, $e);
        self::assertSame([], $e->getDetails());
    }

    public function testTheLibraryPathComesFromTheCdsLibraryEnvironmentVariable(): void
    {
        self::assertSame(\getenv('CDS_LIBRARY'), Library::path());
        self::assertFalse(Library::isPreloaded());
        self::assertStringNotContainsString('CDS_ABI_VERSION', Library::declarations());
        self::assertStringContainsString('cds_call', Library::declarations());
    }

    public function testTheProcessExitsCleanlyAfterDatabasesWereOpenedUsedAndClosed(): void
    {
        // libcds.so leaves a libdispatch thread behind after cds_close(); PHP dlclose()s the
        // library when the FFI instance is freed at the end of the script. libcds.so is linked
        // with -z nodelete so that this unmaps nothing; without it the process often died of
        // SIGSEGV (status 139).
        $scripts = [
            'closed by the destructor at shutdown' => '$db = CDS\Database::open(":memory:"); echo "done";',
            'closed explicitly' => '$db = CDS\Database::open(":memory:"); $db->member->list(); $db->close(); echo "done";',
        ];
        for ($round = 1; $round <= 3; ++$round) {
            foreach ($scripts as $name => $code) {
                $result = $this->php([], [], $code);

                self::assertSame('done', $result['stdout'], "{$name}: {$result['stderr']}");
                self::assertSame(0, $result['status'], "{$name}, round {$round}: exit status (139 is SIGSEGV) {$result['stderr']}");
            }
        }
    }

    public function testAnErrorPointsAtTheLineOfTheCallThatFailed(): void
    {
        $db = $this->openDatabase();

        try {
            $line = __LINE__ + 1;
            $db->territory->get(['code' => '09.541.99.99']);
            self::fail('found');
        } catch (NotFoundException $e) {
            self::assertSame(__FILE__, $e->getFile());
            self::assertSame($line, $e->getLine());
        }
    }

    public function testAMissingLibraryThrowsLibraryLoadBeforeAnyCall(): void
    {
        $result = $this->php(
            ['CDS_LIBRARY' => '/nonexistent/libcds.so'],
            [],
            'try { CDS\Database::open(":memory:"); echo "opened"; } catch (CDS\Exception $e) { echo $e->getErrorCode(); }',
        );

        self::assertSame('library_load', $result['stdout'], $result['stderr']);
    }

    public function testALibraryOfAnotherAbiVersionThanTheHeaderIsRefused(): void
    {
        $src = $this->copyOfSources();
        $header = \file_get_contents($src . '/cds_ffi.h');
        \file_put_contents($src . '/cds_ffi.h', \preg_replace('/CDS_ABI_VERSION=\d+/', 'CDS_ABI_VERSION=999', $header, 1));

        $result = $this->php(
            [],
            [],
            'try { CDS\Database::open(":memory:"); echo "opened"; } catch (CDS\Exception $e) { echo $e->getErrorCode(), " ", json_encode($e->getDetails()); }',
            $src,
        );

        self::assertSame(
            'abi_mismatch ' . \json_encode(['library' => Library::abiVersion(), 'header' => 999]),
            $result['stdout'],
            $result['stderr'],
        );
    }

    public function testTheHeaderWrittenByPreloadPhpServesAsFfiPreloadAndIsUsedInsteadOfCdef(): void
    {
        $src = $this->copyOfSources();
        $generated = $this->runProcess([\PHP_BINARY, '-d', 'ffi.enable=preload', $src . '/preload.php'], []);
        self::assertSame(0, $generated['status'], $generated['stderr']);
        $header = \trim($generated['stdout']);
        self::assertSame($src . '/cds_ffi.preload.h', $header);
        $text = (string) \file_get_contents($header);
        self::assertStringStartsWith("#define FFI_SCOPE \"CDS\"\n#define FFI_LIB \"" . \realpath(Library::path()) . "\"\n", $text);

        $result = $this->php(
            ['CDS_LIBRARY' => '/nonexistent/libcds.so'], // proves that cdef is not used
            ['ffi.enable' => 'preload', 'ffi.preload' => $header],
            'echo json_encode([CDS\Library::isPreloaded(), CDS\Database::open(":memory:")->territory->get(code: "09.541.11.33")["name"]["fr"]]);',
            $src,
        );

        self::assertSame('[true,"Talmakante"]', $result['stdout'], $result['stderr']);
        self::assertSame(0, $result['status'], $result['stderr']);
    }

    public function testOpcachePreloadOfPreloadPhpDefinesTheCdsScope(): void
    {
        if (!\extension_loaded('Zend OPcache') && !$this->hasOpcacheModule()) {
            self::markTestSkipped('opcache is not available');
        }
        $src = $this->copyOfSources();
        $command = [\PHP_BINARY];
        $asRoot = \function_exists('posix_geteuid') && \posix_geteuid() === 0;
        if ($asRoot) {
            // PHP refuses FFI::load() with opcache.preload_user, which root needs: run as nobody.
            $runuser = '/usr/sbin/runuser';
            if (!\is_executable($runuser) || !$this->readableByEveryone(\realpath(Library::path()))) {
                self::markTestSkipped('running as root, and nobody cannot run the library');
            }
            \chmod($src, 0755);
            $command = [$runuser, '-u', 'nobody', '--', \PHP_BINARY];
        }
        // Written beforehand so that nobody finds it current and does not write to /tmp.
        $generated = $this->runProcess([\PHP_BINARY, '-d', 'ffi.enable=preload', $src . '/preload.php'], []);
        self::assertSame(0, $generated['status'], $generated['stderr']);

        $result = $this->php(
            [],
            ['opcache.enable_cli' => '1', 'opcache.preload' => $src . '/preload.php', 'ffi.enable' => 'preload'],
            'echo json_encode([CDS\Library::isPreloaded(), CDS\Database::open(":memory:")->territory->get(code: "09.541.11.33")["name"]["ar"]], JSON_UNESCAPED_UNICODE);',
            $src,
            $command,
        );

        self::assertSame('[true,"تالماكانت"]', $result['stdout'], $result['stderr']);
        self::assertSame(0, $result['status'], $result['stderr']);
    }

    /**
     * Runs PHP code in a child process whose autoloader maps CDS\ to $src.
     *
     * @param array<string, string> $env  environment overrides
     * @param array<string, string> $ini  -d settings
     * @param list<string>|null     $php  the command that runs PHP (default PHP_BINARY)
     *
     * @return array{status: int, stdout: string, stderr: string}
     */
    private function php(array $env, array $ini, string $code, ?string $src = null, ?array $php = null): array
    {
        $src ??= \dirname(__DIR__) . '/src';
        $prelude = 'spl_autoload_register(function ($c) { if (str_starts_with($c, "CDS\\\\")) { $f = '
            . \var_export($src . '/', true) . ' . substr($c, 4) . ".php"; if (is_file($f)) require $f; } });';
        $command = $php ?? [\PHP_BINARY];
        foreach ($ini as $name => $value) {
            $command[] = '-d';
            $command[] = $name . '=' . $value;
        }
        $command[] = '-r';
        $command[] = $prelude . $code;

        return $this->runProcess($command, $env);
    }

    /**
     * @param list<string>          $command
     * @param array<string, string> $env environment overrides
     *
     * @return array{status: int, stdout: string, stderr: string}
     */
    private function runProcess(array $command, array $env): array
    {
        $process = \proc_open(
            $command,
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            \sys_get_temp_dir(),
            $env + \getenv(),
        );
        self::assertIsResource($process);
        $stdout = (string) \stream_get_contents($pipes[1]);
        $stderr = (string) \stream_get_contents($pipes[2]);
        \fclose($pipes[1]);
        \fclose($pipes[2]);

        return ['status' => \proc_close($process), 'stdout' => $stdout, 'stderr' => $stderr];
    }

    /** A copy of src/ in a temporary directory, removed after the test. */
    private function copyOfSources(): string
    {
        $dir = \sys_get_temp_dir() . '/cds-php-src-' . \uniqid('', true);
        \mkdir($dir, 0755);
        $this->directories[] = $dir;
        foreach (\glob(\dirname(__DIR__) . '/src/*') ?: [] as $file) {
            if (\basename($file) !== 'cds_ffi.preload.h') {
                \copy($file, $dir . '/' . \basename($file));
            }
        }

        return $dir;
    }

    private function hasOpcacheModule(): bool
    {
        $result = $this->runProcess([\PHP_BINARY, '-m'], []);

        return \str_contains($result['stdout'], 'Zend OPcache');
    }

    private function readableByEveryone(string|false $path): bool
    {
        if ($path === false) {
            return false;
        }
        for ($p = $path; $p !== '/' && $p !== '.'; $p = \dirname($p)) {
            $mode = \fileperms($p);
            if ($mode === false || ($mode & ($p === $path ? 0o004 : 0o001)) === 0) {
                return false;
            }
        }

        return true;
    }

    private static function removeTree(string $dir): void
    {
        foreach (\glob($dir . '/{,.}*', \GLOB_BRACE) ?: [] as $entry) {
            $name = \basename($entry);
            if ($name === '.' || $name === '..') {
                continue;
            }
            \is_dir($entry) && !\is_link($entry) ? self::removeTree($entry) : \unlink($entry);
        }
        \rmdir($dir);
    }
}
